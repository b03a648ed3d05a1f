"""The catalog's tables: what the SQLite file holds, and how `surfaces` is kept.

`SCHEMA` is run on every open (each statement `IF NOT EXISTS`); `SURFACES` adds a
table and its triggers to a catalog made before them, once (`Catalog`).
"""

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    rel TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    hash TEXT NOT NULL,
    problem TEXT            -- why the file gave no article, or NULL
);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    rel TEXT NOT NULL,
    title TEXT NOT NULL,
    date TEXT NOT NULL,
    lang TEXT NOT NULL,
    source TEXT NOT NULL,
    text TEXT NOT NULL,
    passages TEXT NOT NULL, -- JSON: [[n, start, end, kind, lang], ...]
    n_passages INTEGER NOT NULL,
    n_chars INTEGER NOT NULL,
    date_source TEXT NOT NULL -- where the date was found: metadata, path, text or ''
);
CREATE INDEX IF NOT EXISTS articles_rel ON articles (rel);
-- Names found in the articles: by the model (source 'ner', kept with the article:
-- the model runs once per content), or by matching known names in passages that
-- are not French (source 'pattern', redone whenever the entities change).
CREATE TABLE IF NOT EXISTS mentions (
    article TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    label TEXT NOT NULL,
    initial INTEGER NOT NULL,
    source TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS mentions_article ON mentions (article);
CREATE INDEX IF NOT EXISTS mentions_text ON mentions (text);
-- The few pattern mentions, found without reading the model's half million.
CREATE INDEX IF NOT EXISTS mentions_pattern ON mentions (article) WHERE source = 'pattern';
CREATE TABLE IF NOT EXISTS entities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    label TEXT NOT NULL,
    aliases TEXT NOT NULL,  -- JSON list of surface forms
    hidden INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS aliases (
    surface TEXT PRIMARY KEY,
    entity TEXT NOT NULL
) WITHOUT ROWID;
-- A name alone that stands for another entity in one article (`Laurent` for the
-- `Emile Laurent` that article writes) than its alias above.
CREATE TABLE IF NOT EXISTS article_aliases (
    article TEXT NOT NULL,
    surface TEXT NOT NULL,
    entity TEXT NOT NULL,
    PRIMARY KEY (article, surface)
) WITHOUT ROWID;
-- Acronyms the text writes in brackets after a name (`Fonds monétaire
-- international (FMI)`): the text's own word that they are one thing.
CREATE TABLE IF NOT EXISTS acronyms (
    article TEXT NOT NULL,
    name TEXT NOT NULL,
    acronym TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS acronyms_article ON acronyms (article);
-- Passages in another language than French: tagged by matching known names.
CREATE TABLE IF NOT EXISTS foreign_passages (
    article TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    lang TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS foreign_article ON foreign_passages (article);
-- Sampled shingle fingerprints of each article's passages (wirecopy.pack), and the
-- wire-copy pairs they reveal, found on demand for the whole corpus.
CREATE TABLE IF NOT EXISTS fingerprints (
    article TEXT PRIMARY KEY,
    prints BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS wire_pairs (
    a TEXT NOT NULL,
    b TEXT NOT NULL,
    passages INTEGER NOT NULL  -- near-duplicate passage pairs between a and b
);
CREATE INDEX IF NOT EXISTS wire_pairs_a ON wire_pairs (a);
CREATE INDEX IF NOT EXISTS wire_pairs_b ON wire_pairs (b);
-- Articles whose Whoosh documents are to be written again or dropped: marked in the
-- transaction that changes the article, cleared once a Whoosh commit covers them.
CREATE TABLE IF NOT EXISTS unsynced (
    id TEXT PRIMARY KEY
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS vocabulary (
    word TEXT PRIMARY KEY,
    df INTEGER NOT NULL     -- how many articles use the word
) WITHOUT ROWID;
"""


# How often the model wrote each surface form with each label, and how often as a
# sentence's first word: what the entity pass reads, kept by triggers as mentions
# come and go (a GROUP BY over the half million mentions of 10,000 articles takes
# most of a second, which each added article would pay).
SURFACES = """
CREATE TABLE surfaces (
    text TEXT NOT NULL,
    label TEXT NOT NULL,
    count INTEGER NOT NULL,
    initial INTEGER NOT NULL,
    PRIMARY KEY (text, label)
) WITHOUT ROWID;

INSERT INTO surfaces
    SELECT text, label, count(*), sum(initial) FROM mentions
    WHERE source = 'ner' GROUP BY text, label;

CREATE TRIGGER surfaces_add AFTER INSERT ON mentions WHEN new.source = 'ner'
BEGIN
    INSERT INTO surfaces VALUES (new.text, new.label, 1, new.initial)
    ON CONFLICT (text, label) DO UPDATE SET
        count = count + 1, initial = initial + excluded.initial;
END;

CREATE TRIGGER surfaces_remove AFTER DELETE ON mentions WHEN old.source = 'ner'
BEGIN
    UPDATE surfaces SET count = count - 1, initial = initial - old.initial
    WHERE text = old.text AND label = old.label;
    DELETE FROM surfaces WHERE text = old.text AND label = old.label AND count <= 0;
END
"""
