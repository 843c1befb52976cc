-- The applied log becomes the office's audit log (as the SQLite backend's
-- v2): the record, the account, the stamp, the fields' values as pushed or
-- the delete, and when the office applied it. Operations applied before
-- this version keep only their id, sequence number and device.
ALTER TABLE applied_op ADD COLUMN entity TEXT;
ALTER TABLE applied_op ADD COLUMN record_key TEXT;
ALTER TABLE applied_op ADD COLUMN account TEXT;
ALTER TABLE applied_op ADD COLUMN hlc BIGINT;
ALTER TABLE applied_op ADD COLUMN fields TEXT;
ALTER TABLE applied_op ADD COLUMN deleted BOOLEAN;
ALTER TABLE applied_op ADD COLUMN applied_at BIGINT;
CREATE INDEX applied_op_record ON applied_op (entity, record_key, seq)
    WHERE entity IS NOT NULL;
