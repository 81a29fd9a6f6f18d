"""Both databases index the normal form of titles and bodies (issue 14: native search).

1. PostgreSQL: `newsroom_search_form(text)`, the same function as articles.text.normalize.search_form
   (NFC, then one translate() of the letters it replaces and the characters it drops; written
   from the Python tables when this migration runs, and compared with them by
   tests/browse/test_native_search.py). The search vector is that form of the title (A) and body
   (B) in the article's configuration: `english` for English and undetected articles, `simple`
   for every other language; the trigger follows a change of language too.
2. SQLite: the FTS5 table holds the normal form (stored in the index, so a row is deleted by its
   rowid whatever the normal form was when it was written), filled by triggers that call the
   Python function `newsroom_search_form`, which every SQLite connection registers
   (articles.apps). Same tokenizer as 0009.

After a change of the normal form's tables, a migration that runs `refill` of the form below
brings both indexes up to date.
"""

import importlib

from django.db import migrations

from articles.apps import register_sqlite_functions
from articles.text.normalize import dropped_characters, replaced_characters

BEFORE = importlib.import_module("articles.migrations.0009_stories_once_and_sqlite_full_text")
FTS = "articles_article_fts"


def postgresql_function() -> str:
    replaced = replaced_characters()
    source = "".join(replaced) + dropped_characters()
    target = "".join(replaced.values())
    assert "'" not in source + target  # noqa: S101 - the literals below are written unescaped
    return (
        "CREATE OR REPLACE FUNCTION newsroom_search_form(text) RETURNS text AS $$ "
        f"SELECT translate(normalize($1, NFC), '{source}', '{target}') "
        "$$ LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;"
    )


POSTGRESQL_VECTOR = """
CREATE OR REPLACE FUNCTION articles_article_search_vector_update() RETURNS trigger AS $$
DECLARE
    config regconfig := CASE WHEN NEW.language IN ('en', '') THEN 'english' ELSE 'simple' END;
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector(config, newsroom_search_form(coalesce(NEW.title, ''))), 'A')
        || setweight(to_tsvector(config, newsroom_search_form(coalesce(NEW.body, ''))), 'B');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER articles_article_search_vector_trigger ON articles_article;
CREATE TRIGGER articles_article_search_vector_trigger
    BEFORE INSERT OR UPDATE OF title, body, language ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector_update();

UPDATE articles_article SET title = title;
"""

POSTGRESQL_BACK = """
CREATE OR REPLACE FUNCTION articles_article_search_vector_update() RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english'::regconfig, coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(NEW.body, '')), 'B');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER articles_article_search_vector_trigger ON articles_article;
CREATE TRIGGER articles_article_search_vector_trigger
    BEFORE INSERT OR UPDATE OF title, body ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector_update();

UPDATE articles_article SET title = title;
DROP FUNCTION newsroom_search_form(text);
"""

FTS_INSERT = (f"INSERT INTO {FTS}(rowid, title, body) "
              "VALUES (NEW.id, newsroom_search_form(NEW.title), newsroom_search_form(NEW.body));")
FTS_DELETE = f"DELETE FROM {FTS} WHERE rowid = OLD.id;"

# Every trigger of articles_article on SQLite: a later migration that rebuilds the table drops
# them with it and creates these again after (see 0009).
SQLITE_ARTICLE_TRIGGERS = [
    *BEFORE.SQLITE_ARTICLE_TRIGGERS[:2],  # articles_article_copy_to_tags, as 0009 wrote it
    f"CREATE TRIGGER IF NOT EXISTS articles_article_fts_insert AFTER INSERT ON articles_article BEGIN {FTS_INSERT} END",
    f"CREATE TRIGGER IF NOT EXISTS articles_article_fts_delete AFTER DELETE ON articles_article BEGIN {FTS_DELETE} END",
    "CREATE TRIGGER IF NOT EXISTS articles_article_fts_update AFTER UPDATE OF title, body ON articles_article "
    f"WHEN OLD.title IS NOT NEW.title OR OLD.body IS NOT NEW.body BEGIN {FTS_DELETE} {FTS_INSERT} END",
]
_FTS_DROP = [
    *(f"DROP TRIGGER IF EXISTS articles_article_fts_{event}" for event in ("insert", "delete", "update")),
    f"DROP TABLE IF EXISTS {FTS}",
]
SQLITE_CREATE = [
    *_FTS_DROP,
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(title, body, tokenize=\"{BEFORE.FTS_TOKENIZER}\")",
    *SQLITE_ARTICLE_TRIGGERS,
    f"INSERT INTO {FTS}(rowid, title, body) "  # noqa: S608
    "SELECT id, newsroom_search_form(title), newsroom_search_form(body) FROM articles_article",
]
SQLITE_BACK = [
    *_FTS_DROP,
    *(statement for statement in BEFORE.SQLITE_CREATE if "articles_article_fts" in statement),
]


def _run(postgresql: list[str], sqlite: list[str]):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            register_sqlite_functions(None, schema_editor.connection)  # a connection opened before ready()
        for statement in {"postgresql": postgresql, "sqlite": sqlite}.get(vendor, []):
            schema_editor.execute(statement, params=None)

    return run


def refill(apps, schema_editor) -> None:
    """Both indexes written again from the articles' text."""
    _run(["UPDATE articles_article SET title = title"],
         [f"DELETE FROM {FTS}", SQLITE_CREATE[-1]])(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0011_entity_native_names"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: _run([postgresql_function(), POSTGRESQL_VECTOR], SQLITE_CREATE)(
                apps, schema_editor),
            _run([POSTGRESQL_BACK], SQLITE_BACK),
        ),
    ]
