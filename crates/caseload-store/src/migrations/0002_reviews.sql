-- Reviews of a school's support category: marks against a criteria set,
-- a draft until agreed, then kept unchanged for ever.

CREATE TABLE review (
    id           TEXT PRIMARY KEY,
    urn          INTEGER REFERENCES school (urn),
    criteria_set TEXT,
    reviewed_on  TEXT,
    adviser      TEXT REFERENCES adviser (id),
    marks        TEXT,
    status       TEXT,
    computed     TEXT,
    overridden   TEXT,
    deleted      INTEGER NOT NULL DEFAULT 0,
    revisions    TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX review_by_school ON review (urn, reviewed_on);
