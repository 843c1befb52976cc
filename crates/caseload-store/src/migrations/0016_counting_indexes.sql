-- The authority-wide view counts every school's agreed reviews, this
-- year's visits and the issued warning notices. These indexes hold every
-- column it reads of them, so it reads index pages and never the records'
-- marks, notes or letter text: on a national store those pages are most of
-- the file, and each one read is a page decrypted.
CREATE INDEX visit_for_counting
    ON visit (visited_on, deleted, urn, status, adviser, addendum_to, session, kind, id);
CREATE INDEX review_for_counting
    ON review (status, deleted, urn, reviewed_on, id, criteria_set, adviser, computed, overridden);
CREATE INDEX letter_by_kind ON letter (kind, status);
