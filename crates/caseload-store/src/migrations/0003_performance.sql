-- School performance figures: one measure of one school in one academic
-- year, with its local authority's and England's figures beside it. Keyed
-- by "urn/year/measure" rather than a UUID, so two devices importing the
-- same file hold one figure. Each figure is JSON: a number, or the reason
-- there is none ("suppressed").

CREATE TABLE performance (
    id        TEXT PRIMARY KEY,
    urn       INTEGER REFERENCES school (urn),
    year      INTEGER,
    measure   TEXT,
    school    TEXT,
    la        TEXT,
    national  TEXT,
    deleted   INTEGER NOT NULL DEFAULT 0,
    revisions TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX performance_by_school ON performance (urn, measure, year);
