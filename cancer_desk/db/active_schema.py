"""The triggers and views the migrations make, at the newest revision.

Written by ``python -m cancer_desk.db.schema_check``; do not edit by hand.
"""

REVISION = '0011'

ACTIVE_OBJECTS = {
    ('trigger', 'audit_checkpoints_no_delete'): ('audit_checkpoints', "CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints BEGIN SELECT RAISE ( ABORT , 'audit_checkpoints is append-only' ) ; END"),
    ('trigger', 'audit_checkpoints_no_update'): ('audit_checkpoints', "CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints BEGIN SELECT RAISE ( ABORT , 'audit_checkpoints is append-only' ) ; END"),
    ('trigger', 'audit_log_no_delete'): ('audit_log', "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE ( ABORT , 'audit_log is append-only' ) ; END"),
    ('trigger', 'audit_log_no_update'): ('audit_log', "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE ( ABORT , 'audit_log is append-only' ) ; END"),
    ('trigger', 'key_endorsements_no_delete'): ('key_endorsements', "CREATE TRIGGER key_endorsements_no_delete BEFORE DELETE ON key_endorsements BEGIN SELECT RAISE ( ABORT , 'key_endorsements is append-only' ) ; END"),
    ('trigger', 'key_endorsements_no_update'): ('key_endorsements', "CREATE TRIGGER key_endorsements_no_update BEFORE UPDATE ON key_endorsements BEGIN SELECT RAISE ( ABORT , 'key_endorsements is append-only' ) ; END"),
    ('trigger', 'signing_keys_no_delete'): ('signing_keys', "CREATE TRIGGER signing_keys_no_delete BEFORE DELETE ON signing_keys BEGIN SELECT RAISE ( ABORT , 'signing_keys is append-only' ) ; END"),
}
