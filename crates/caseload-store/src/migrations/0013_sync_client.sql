-- What the sync client keeps (see `pulled.rs` and `sync_client/`).

-- The office this device is enrolled with: one row at most. The device id
-- is meta.device_id; the token is sent as `Authorization: Bearer TOKEN`.
-- `cursor` is where the next pull starts; it moves only in the transaction
-- that applies a page.
CREATE TABLE sync_office (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    url         TEXT NOT NULL,
    token       TEXT NOT NULL,
    adviser     TEXT NOT NULL,
    cursor      INTEGER NOT NULL DEFAULT 0,
    enrolled_at TEXT NOT NULL,
    synced_at   TEXT
);

-- Each record's state at the office as this device knows it: its heads per
-- field as last pulled (`caseload_core::sync::RecordState` as JSON), with the
-- writes the office has since acknowledged merged in. `seq` is the sequence
-- number of the last pulled change (0 if only pushed): what an operation
-- written now has seen. `conflicts` counts the state's kept losing values,
-- so the conflicts list reads only the records that have some.
CREATE TABLE sync_record (
    entity     TEXT NOT NULL,
    record_key TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    state      TEXT NOT NULL,
    conflicts  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (entity, record_key)
);
CREATE INDEX sync_record_with_conflicts ON sync_record (conflicts) WHERE conflicts > 0;

-- Operations the office refused: gone from the outbox, kept with what they
-- carried so the adviser can read why and copy what did not go.
CREATE TABLE sync_refusal (
    op_id      TEXT PRIMARY KEY,
    entity     TEXT NOT NULL,
    record_key TEXT NOT NULL,
    reason     TEXT NOT NULL,
    message    TEXT NOT NULL,
    fields     TEXT NOT NULL,
    refused_at TEXT NOT NULL
);

-- An operation still waiting when a pull overwrote its record keeps what it
-- knew: `seen`, the record's pulled seq when it was written (NULL: the
-- record's current sync_record.seq), and `held`, the record's values then
-- (NULL: read the record). A later write is never merged into such a row.
ALTER TABLE outbox ADD COLUMN seen INTEGER;
ALTER TABLE outbox ADD COLUMN held TEXT;
