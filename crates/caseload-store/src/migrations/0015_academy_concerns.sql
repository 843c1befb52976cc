-- The authority's concerns about academies and their escalation, and what
-- others raise with it about an academy (complaints, whistleblowing,
-- safeguarding). The evidence, the steps taken and the bodies told are
-- JSON, as the declarations in caseload_core::record say.

CREATE TABLE academy_concern (
    id        TEXT PRIMARY KEY,
    urn       INTEGER REFERENCES school (urn),
    raised_on TEXT,
    raised_by TEXT REFERENCES adviser (id),
    evidence  TEXT,
    steps     TEXT,
    resolved  TEXT,
    deleted   INTEGER NOT NULL DEFAULT 0,
    revisions TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX academy_concern_by_school ON academy_concern (urn, raised_on);

CREATE TABLE academy_report (
    id          TEXT PRIMARY KEY,
    urn         INTEGER REFERENCES school (urn),
    kind        TEXT,
    received_on TEXT,
    summary     TEXT,
    redirection TEXT,
    passed_on   TEXT,
    logged_by   TEXT REFERENCES adviser (id),
    deleted     INTEGER NOT NULL DEFAULT 0,
    revisions   TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX academy_report_by_school ON academy_report (urn, received_on);
