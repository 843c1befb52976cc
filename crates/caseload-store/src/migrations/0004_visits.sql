-- Half-day visits, and the schools on the enhanced offer each year.

CREATE TABLE visit (
    id          TEXT PRIMARY KEY,
    urn         INTEGER REFERENCES school (urn),
    adviser     TEXT REFERENCES adviser (id),
    visited_on  TEXT,
    session     TEXT,
    kind        TEXT,
    status      TEXT,
    purpose     TEXT,
    activities  TEXT,
    notes       TEXT,
    strengths   TEXT,
    development TEXT,
    addendum_to TEXT REFERENCES visit (id),
    deleted     INTEGER NOT NULL DEFAULT 0,
    revisions   TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX visit_by_school ON visit (urn, visited_on);

CREATE TABLE enhanced_offer (
    id        TEXT PRIMARY KEY,
    urn       INTEGER REFERENCES school (urn),
    year      INTEGER,
    deleted   INTEGER NOT NULL DEFAULT 0,
    revisions TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX enhanced_offer_by_year ON enhanced_offer (year);
