"""The domain core: rules, scoring, identity, Persian text and Jalali dates.

Pure Python (and jdatetime): nothing here imports Qt, SQLAlchemy or reportlab, so
the rules can be tested, scripted and reused without a window or a database.
"""
