-- The audit trail (see `audit.rs`): who changed which record, when, on
-- which device, and what. One entry per run of writes: successive writes of
-- a record by one device and adviser within a few minutes extend the same
-- entry, so a morning of autosaves is one line of history.
--
-- `urn` is the school the record belongs to (an MSP meeting's through its
-- group), when it has one. `device` is a `replica.no`; `adviser` the id of
-- the adviser who wrote (NULL for the office's own writes). `first_hlc` and
-- `last_hlc` stamp the first and last write of the entry. `fields` names the
-- fields written (a JSON array); `before` holds their values before the
-- first write and `after` their values after the last (JSON objects).
-- `after` is NULL only while the entry is open, the record's newest one
-- that a next write may still extend: its values are then the record's own.
CREATE TABLE audit (
    id         INTEGER PRIMARY KEY,
    entity     TEXT NOT NULL,
    record_key TEXT NOT NULL,
    urn        INTEGER,
    origin     TEXT NOT NULL,
    device     INTEGER NOT NULL,
    adviser    TEXT,
    first_hlc  INTEGER NOT NULL,
    last_hlc   INTEGER NOT NULL,
    fields     TEXT NOT NULL,
    before     TEXT NOT NULL,
    after      TEXT
);
CREATE UNIQUE INDEX audit_open ON audit (entity, record_key) WHERE after IS NULL;
CREATE INDEX audit_school ON audit (urn, id) WHERE urn IS NOT NULL;
