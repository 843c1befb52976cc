-- Letters to schools. A draft changes as the adviser edits it; an issued
-- letter is frozen, with the SHA-256 of its PDF. The PDF itself is kept
-- beside the record on this device, so a re-print gives the same bytes.

CREATE TABLE letter (
    id          TEXT PRIMARY KEY,
    urn         INTEGER REFERENCES school (urn),
    kind        TEXT,
    status      TEXT,
    dated       TEXT,
    reference   TEXT,
    recipients  TEXT,
    copies_to   TEXT,
    subject     TEXT,
    body        TEXT,
    marking     TEXT,
    indicators  TEXT,
    terms       TEXT,
    visit       TEXT REFERENCES visit (id),
    corrects    TEXT REFERENCES letter (id),
    author      TEXT REFERENCES adviser (id),
    signatory   TEXT,
    pdf_sha256  TEXT,
    deleted     INTEGER NOT NULL DEFAULT 0,
    revisions   TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX letter_by_school ON letter (urn, dated);

CREATE TABLE letter_pdf (
    letter  TEXT PRIMARY KEY REFERENCES letter (id),
    sha256  TEXT NOT NULL,
    pdf     BLOB NOT NULL
);
