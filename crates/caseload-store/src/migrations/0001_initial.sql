-- The first schema. Every synced table has its declared key and fields
-- (caseload-core's record declarations), a tombstone flag, and the
-- per-field revisions as JSON, grouped by write:
-- [[hlc, replica_no, "origin", ["field", ...]], ...].

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Devices that have written values this store holds, numbered locally so
-- revisions stay small.
CREATE TABLE replica (
    no        INTEGER PRIMARY KEY,
    device_id TEXT NOT NULL UNIQUE
);

CREATE TABLE adviser (
    id        TEXT PRIMARY KEY,
    name      TEXT,
    email     TEXT,
    role      TEXT,
    deleted   INTEGER NOT NULL DEFAULT 0,
    revisions TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE school (
    urn                INTEGER PRIMARY KEY,
    la_code            INTEGER,
    name               TEXT,
    phase              TEXT,
    establishment_type TEXT,
    status             TEXT,
    trust              TEXT,
    street             TEXT,
    locality           TEXT,
    town               TEXT,
    postcode           TEXT,
    ward               TEXT,
    headteacher        TEXT,
    telephone          TEXT,
    website            TEXT,
    pupils             INTEGER,
    percentage_fsm     REAL,
    open_date          TEXT,
    close_date         TEXT,
    link_sia           TEXT REFERENCES adviser (id),
    deleted            INTEGER NOT NULL DEFAULT 0,
    revisions          TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX school_by_link_sia ON school (link_sia);

CREATE TABLE contact (
    id        TEXT PRIMARY KEY,
    urn       INTEGER REFERENCES school (urn),
    role      TEXT,
    name      TEXT,
    email     TEXT,
    phone     TEXT,
    address   TEXT,
    deleted   INTEGER NOT NULL DEFAULT 0,
    revisions TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX contact_by_school ON contact (urn);

CREATE TABLE ofsted_inspection (
    id           TEXT PRIMARY KEY,
    urn          INTEGER REFERENCES school (urn),
    inspected_on TEXT,
    outcome      TEXT,
    deleted      INTEGER NOT NULL DEFAULT 0,
    revisions    TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX ofsted_inspection_by_school ON ofsted_inspection (urn, inspected_on);

-- Local changes waiting to be pushed: one operation per write, carrying the
-- fields it changed, written in the same transaction as the change.
CREATE TABLE outbox (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    op_id      TEXT NOT NULL UNIQUE,
    entity     TEXT NOT NULL,
    record_key TEXT NOT NULL,
    hlc        INTEGER NOT NULL,
    fields     TEXT NOT NULL,
    deleted    INTEGER NOT NULL DEFAULT 0
);
