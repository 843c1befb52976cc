-- Monitoring Support Partnership groups and their meetings. A meeting's
-- confidential minutes, decisions, action log and summary key points live
-- in its row; approved, the row never changes. The PDFs of approved
-- minutes and summaries are kept on this device as first printed, so a
-- re-print gives the same bytes. Minutes are not searched: they are
-- confidential to the group's members.

CREATE TABLE msp_group (
    id        TEXT PRIMARY KEY,
    urn       INTEGER REFERENCES school (urn),
    chair     TEXT REFERENCES adviser (id),
    members   TEXT,
    opened_on TEXT,
    closed    TEXT,
    deleted   INTEGER NOT NULL DEFAULT 0,
    revisions TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX msp_group_by_school ON msp_group (urn, opened_on);

CREATE TABLE msp_meeting (
    id              TEXT PRIMARY KEY,
    msp_group       TEXT REFERENCES msp_group (id),
    urn             INTEGER REFERENCES school (urn),
    meets_on        TEXT,
    place           TEXT,
    status          TEXT,
    attendees       TEXT,
    apologies       TEXT,
    agenda          TEXT,
    decisions       TEXT,
    concerns_remain INTEGER,
    action_log      TEXT,
    summary         TEXT,
    approved_on     TEXT,
    deleted         INTEGER NOT NULL DEFAULT 0,
    revisions       TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX msp_meeting_by_group ON msp_meeting (msp_group, meets_on);
CREATE INDEX msp_meeting_by_school ON msp_meeting (urn, meets_on);

CREATE TABLE msp_pdf (
    meeting  TEXT NOT NULL REFERENCES msp_meeting (id),
    document TEXT NOT NULL CHECK (document IN ('minutes', 'summary')),
    sha256   TEXT NOT NULL,
    pdf      BLOB NOT NULL,
    PRIMARY KEY (meeting, document)
);
