-- Search indexing moves off the autosave path: a write only notes which
-- row changed, and the next search brings the index up to date first. An
-- adviser typing a visit note saves on every pause; tokenising the whole
-- note each time cost ten times the write itself.

DROP TRIGGER visit_search_insert;
DROP TRIGGER visit_search_update;
DROP TRIGGER action_search_insert;
DROP TRIGGER action_search_update;

-- The triggers check before inserting: an OR IGNORE inside a trigger gives
-- way to the conflict handling of the statement that fired it.
CREATE TABLE search_pending (
    idx TEXT NOT NULL,
    row INTEGER NOT NULL,
    PRIMARY KEY (idx, row)
) WITHOUT ROWID;

CREATE TRIGGER visit_search_insert AFTER INSERT ON visit BEGIN
    INSERT INTO search_pending (idx, row) SELECT 'visit', NEW.rowid
     WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE idx = 'visit' AND row = NEW.rowid);
END;

CREATE TRIGGER visit_search_update AFTER UPDATE ON visit BEGIN
    INSERT INTO search_pending (idx, row) SELECT 'visit', NEW.rowid
     WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE idx = 'visit' AND row = NEW.rowid);
END;

CREATE VIEW action_search_body (id, body) AS
SELECT rowid, concat_ws(char(10), text, owner)
  FROM action
 WHERE deleted = 0;

CREATE TRIGGER action_search_insert AFTER INSERT ON action BEGIN
    INSERT INTO search_pending (idx, row) SELECT 'action', NEW.rowid
     WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE idx = 'action' AND row = NEW.rowid);
END;

CREATE TRIGGER action_search_update AFTER UPDATE ON action BEGIN
    INSERT INTO search_pending (idx, row) SELECT 'action', NEW.rowid
     WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE idx = 'action' AND row = NEW.rowid);
END;
