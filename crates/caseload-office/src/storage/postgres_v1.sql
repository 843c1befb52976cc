-- The office's first schema (PostgreSQL): the same tables as the SQLite
-- backend's, in PostgreSQL's types.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE record (
    entity    TEXT NOT NULL,
    key       TEXT NOT NULL,
    seq       BIGINT NOT NULL,
    urn       BIGINT,
    adviser   TEXT,
    msp_group TEXT,
    state     TEXT NOT NULL,
    PRIMARY KEY (entity, key)
);
CREATE UNIQUE INDEX record_seq ON record (seq);
CREATE INDEX record_urn ON record (urn) WHERE urn IS NOT NULL;
CREATE INDEX record_msp_group ON record (msp_group) WHERE msp_group IS NOT NULL;
CREATE INDEX record_adviser ON record (adviser) WHERE adviser IS NOT NULL;

CREATE TABLE applied_op (
    op_id  TEXT PRIMARY KEY,
    seq    BIGINT NOT NULL,
    device TEXT NOT NULL
);

CREATE TABLE account (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    email      TEXT NOT NULL,
    role       TEXT NOT NULL,
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX account_email ON account (lower(email));

CREATE TABLE enrol_code (
    code_hash  TEXT PRIMARY KEY,
    account    TEXT NOT NULL REFERENCES account (id),
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX enrol_code_account ON enrol_code (account);

CREATE TABLE device (
    id          TEXT PRIMARY KEY,
    account     TEXT NOT NULL REFERENCES account (id),
    name        TEXT NOT NULL,
    enrolled_at BIGINT NOT NULL,
    revoked_at  BIGINT,
    token_hash  TEXT NOT NULL
);
CREATE INDEX device_account ON device (account);

CREATE TABLE assignment (
    urn     BIGINT PRIMARY KEY,
    account TEXT NOT NULL
);
CREATE INDEX assignment_account ON assignment (account);

CREATE TABLE msp_member (
    msp_group TEXT NOT NULL,
    account   TEXT NOT NULL,
    PRIMARY KEY (msp_group, account)
);
CREATE INDEX msp_member_account ON msp_member (account);
