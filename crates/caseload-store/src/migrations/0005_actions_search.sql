-- Agreed actions, and full-text search over visit notes and actions.
--
-- Each searchable table has its own FTS5 index whose rowid is the record's
-- rowid, kept up to date by triggers in the same transaction as the write,
-- so an autosave re-indexes one row by rowid, never by scanning. VACUUM may
-- renumber the rowids of these tables, so the store never runs it.

CREATE TABLE action (
    id        TEXT PRIMARY KEY,
    urn       INTEGER REFERENCES school (urn),
    text      TEXT,
    owner     TEXT,
    due_on    TEXT,
    status    TEXT,
    rag       TEXT,
    source    TEXT,
    deleted   INTEGER NOT NULL DEFAULT 0,
    revisions TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX action_by_school ON action (urn, due_on);

CREATE VIRTUAL TABLE visit_search USING fts5 (
    body,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE VIEW visit_search_body (id, body) AS
SELECT rowid,
       concat_ws(char(10), purpose, strengths, development,
                 (SELECT group_concat(json_extract(note.value, '$.evidence'), char(10))
                    FROM json_each(CASE WHEN json_valid(visit.notes) THEN visit.notes ELSE '[]' END) AS note))
  FROM visit
 WHERE deleted = 0;

CREATE TRIGGER visit_search_insert AFTER INSERT ON visit BEGIN
    INSERT INTO visit_search (rowid, body)
    SELECT id, body FROM visit_search_body WHERE id = NEW.rowid;
END;

CREATE TRIGGER visit_search_update AFTER UPDATE ON visit BEGIN
    DELETE FROM visit_search WHERE rowid = OLD.rowid;
    INSERT INTO visit_search (rowid, body)
    SELECT id, body FROM visit_search_body WHERE id = NEW.rowid;
END;

CREATE TRIGGER visit_search_delete AFTER DELETE ON visit BEGIN
    DELETE FROM visit_search WHERE rowid = OLD.rowid;
END;

-- Visits written before this migration.
INSERT INTO visit_search (rowid, body) SELECT id, body FROM visit_search_body;

CREATE VIRTUAL TABLE action_search USING fts5 (
    body,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER action_search_insert AFTER INSERT ON action WHEN NEW.deleted = 0 BEGIN
    INSERT INTO action_search (rowid, body) VALUES (NEW.rowid, concat_ws(char(10), NEW.text, NEW.owner));
END;

CREATE TRIGGER action_search_update AFTER UPDATE ON action BEGIN
    DELETE FROM action_search WHERE rowid = OLD.rowid;
    INSERT INTO action_search (rowid, body)
    SELECT NEW.rowid, concat_ws(char(10), NEW.text, NEW.owner) WHERE NEW.deleted = 0;
END;

CREATE TRIGGER action_search_delete AFTER DELETE ON action BEGIN
    DELETE FROM action_search WHERE rowid = OLD.rowid;
END;
