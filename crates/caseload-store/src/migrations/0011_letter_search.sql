-- Letters are searched with visit notes and actions: their subject and text,
-- indexed as typed (unstemmed, like the others since migration 7). Writes
-- only queue the row; the next search indexes it.

CREATE VIRTUAL TABLE letter_search USING fts5 (
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE VIEW letter_search_body (id, body) AS
SELECT rowid, concat_ws(char(10), subject, body)
  FROM letter
 WHERE deleted = 0;

CREATE TRIGGER letter_search_insert AFTER INSERT ON letter BEGIN
    INSERT INTO search_pending (idx, row) SELECT 'letter', NEW.rowid
     WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE idx = 'letter' AND row = NEW.rowid);
END;

CREATE TRIGGER letter_search_update AFTER UPDATE ON letter BEGIN
    INSERT INTO search_pending (idx, row) SELECT 'letter', NEW.rowid
     WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE idx = 'letter' AND row = NEW.rowid);
END;

INSERT INTO search_pending (idx, row) SELECT 'letter', rowid FROM letter;
