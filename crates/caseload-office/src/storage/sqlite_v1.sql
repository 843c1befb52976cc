-- The office's first schema (SQLite). Records are kept whole: their merge
-- state (per field, the heads with HLC, device and sequence number) as JSON,
-- filed under the scope columns pulls filter on.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE record (
    entity    TEXT NOT NULL,
    key       TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    urn       INTEGER,
    adviser   TEXT,
    msp_group TEXT,
    state     TEXT NOT NULL,
    PRIMARY KEY (entity, key)
);
CREATE UNIQUE INDEX record_seq ON record (seq);
CREATE INDEX record_urn ON record (urn) WHERE urn IS NOT NULL;
CREATE INDEX record_msp_group ON record (msp_group) WHERE msp_group IS NOT NULL;
CREATE INDEX record_adviser ON record (adviser) WHERE adviser IS NOT NULL;

-- Each pushed operation, applied once.
CREATE TABLE applied_op (
    op_id  TEXT PRIMARY KEY,
    seq    INTEGER NOT NULL,
    device TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE account (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    email      TEXT NOT NULL,
    role       TEXT NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX account_email ON account (lower(email));

-- One-time enrolment codes, by the SHA-256 of the code.
CREATE TABLE enrol_code (
    code_hash  TEXT PRIMARY KEY,
    account    TEXT NOT NULL REFERENCES account (id),
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX enrol_code_account ON enrol_code (account);

-- Devices, with the SHA-256 of their token's secret.
CREATE TABLE device (
    id          TEXT PRIMARY KEY,
    account     TEXT NOT NULL REFERENCES account (id),
    name        TEXT NOT NULL,
    enrolled_at INTEGER NOT NULL,
    revoked_at  INTEGER,
    token_hash  TEXT NOT NULL
);
CREATE INDEX device_account ON device (account);

-- Link-SIA assignments, kept from the schools' link_sia field.
CREATE TABLE assignment (
    urn     INTEGER PRIMARY KEY,
    account TEXT NOT NULL
);
CREATE INDEX assignment_account ON assignment (account);

-- MSP group members, kept from the groups' chair and members fields.
CREATE TABLE msp_member (
    msp_group TEXT NOT NULL,
    account   TEXT NOT NULL,
    PRIMARY KEY (msp_group, account)
) WITHOUT ROWID;
CREATE INDEX msp_member_account ON msp_member (account);
