"""Cancer Desk — میز حمایت بیماران سرطانی."""

APP_NAME = "Cancer Desk"
APP_NAME_FA = "میز حمایت بیماران سرطانی"
__version__ = "0.1.0"
