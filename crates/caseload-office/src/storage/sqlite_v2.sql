-- The applied log becomes the office's audit log: for each pushed
-- operation, the record it wrote, the account whose device pushed it, its
-- stamp, the fields' values as pushed (JSON) or the delete, and when the
-- office applied it (milliseconds since the Unix epoch). Operations applied
-- before this version keep only their id, sequence number and device.
ALTER TABLE applied_op ADD COLUMN entity TEXT;
ALTER TABLE applied_op ADD COLUMN record_key TEXT;
ALTER TABLE applied_op ADD COLUMN account TEXT;
ALTER TABLE applied_op ADD COLUMN hlc INTEGER;
ALTER TABLE applied_op ADD COLUMN fields TEXT;
ALTER TABLE applied_op ADD COLUMN deleted INTEGER;
ALTER TABLE applied_op ADD COLUMN applied_at INTEGER;
CREATE INDEX applied_op_record ON applied_op (entity, record_key, seq)
    WHERE entity IS NOT NULL;
