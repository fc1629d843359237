"""The triggers and views the migrations make, at the newest revision.

Written by ``python -m cancer_desk.db.schema_check``; do not edit by hand.
"""

REVISION = '0010'

ACTIVE_OBJECTS = {
    ('trigger', 'audit_log_no_delete'): ('audit_log', "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE ( ABORT , 'audit_log is append-only' ) ; END"),
    ('trigger', 'audit_log_no_update'): ('audit_log', "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE ( ABORT , 'audit_log is append-only' ) ; END"),
}
