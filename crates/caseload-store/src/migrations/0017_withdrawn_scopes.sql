-- Scopes the office took away from this device's adviser (a school
-- reassigned to another link SIA, an MSP group that no longer lists them):
-- the device removed them and every record in them, and keeps a notice the
-- adviser reads and dismisses. One of urn (the school, or the group's) and
-- msp_group says what went.
CREATE TABLE withdrawn_scope (
    id           INTEGER PRIMARY KEY,
    urn          INTEGER,
    msp_group    TEXT,
    records      INTEGER NOT NULL,
    withdrawn_at TEXT NOT NULL,
    message      TEXT NOT NULL,
    dismissed_at TEXT
);
CREATE INDEX withdrawn_scope_waiting ON withdrawn_scope (id) WHERE dismissed_at IS NULL;

-- A letter removed from the device leaves the search index with it, as a
-- visit and an action do (migration 5).
CREATE TRIGGER letter_search_delete AFTER DELETE ON letter BEGIN
    DELETE FROM letter_search WHERE rowid = OLD.rowid;
END;
