-- Search as the adviser types: the indexes stop stemming words, because a
-- stemmed index cannot complete a half-typed word ("modera" is no prefix of
-- the stem "moder" that "moderation" is indexed as). Judgements are indexed
-- with the evidence. Every visit and action is queued to be indexed again.

DROP TABLE visit_search;
CREATE VIRTUAL TABLE visit_search USING fts5 (
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);

DROP TABLE action_search;
CREATE VIRTUAL TABLE action_search USING fts5 (
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);

DROP VIEW visit_search_body;
CREATE VIEW visit_search_body (id, body) AS
SELECT rowid,
       concat_ws(char(10), purpose, strengths, development,
                 (SELECT group_concat(concat_ws(char(10),
                                                json_extract(note.value, '$.evidence'),
                                                json_extract(note.value, '$.judgement')),
                                      char(10))
                    FROM json_each(CASE WHEN json_valid(visit.notes) THEN visit.notes ELSE '[]' END) AS note))
  FROM visit
 WHERE deleted = 0;

DELETE FROM search_pending;
INSERT INTO search_pending (idx, row) SELECT 'visit', rowid FROM visit;
INSERT INTO search_pending (idx, row) SELECT 'action', rowid FROM action;
