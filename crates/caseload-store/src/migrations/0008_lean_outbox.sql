-- The outbox stops paying twice for every write: op_id loses its unique
-- index (op ids are UUIDv7s made on this device, unique by construction,
-- and the office deduplicates by them) and seq loses AUTOINCREMENT and its
-- sequence table (seq only orders the operations waiting to be pushed).
-- An autosave writes its row and one outbox row, and little else.

CREATE TABLE outbox_lean (
    seq        INTEGER PRIMARY KEY,
    op_id      TEXT NOT NULL,
    entity     TEXT NOT NULL,
    record_key TEXT NOT NULL,
    hlc        INTEGER NOT NULL,
    fields     TEXT NOT NULL,
    deleted    INTEGER NOT NULL DEFAULT 0
);
INSERT INTO outbox_lean (seq, op_id, entity, record_key, hlc, fields, deleted)
SELECT seq, op_id, entity, record_key, hlc, fields, deleted FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_lean RENAME TO outbox;
