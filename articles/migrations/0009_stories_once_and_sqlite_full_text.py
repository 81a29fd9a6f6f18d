"""Lists show each story once, and SQLite searches like PostgreSQL.

1. Tag rows carry `article_is_copy` (the article points to another outlet's original through
   `duplicate_of`), copied by the triggers of migration 0006, which now copy it too and follow a
   change of `duplicate_of`; it joins the (entity, published_at) indexes, so an entity's stories
   in a range stay one index range.
2. PostgreSQL: an index of stories (articles that are no copy) newest first, like
   article_relevant_recent_idx, which the default lists walk. SQLite cannot create an index with
   NULLS LAST (see 0005); the model state has it everywhere.
3. SQLite: an FTS5 index of titles and bodies over articles_article (external content: the text
   is stored once), porter stemming over unicode61 words, diacritics removed, combining marks
   kept inside words (Arabic-script vowel marks would otherwise split a word into letters), kept
   by triggers on every insert, update and delete, and filled here. PostgreSQL keeps its
   `search_vector` (0002).

On SQLite, Django rebuilds a table for an AlterField or an AddField that is not null or has a
default. A rebuild of articles_article drops its triggers (SQLITE_ARTICLE_TRIGGERS) with the old
table, and a rebuild of a tag table fails while the article's trigger names it: a migration that
does either drops the triggers first and creates them again after, as the first steps here do
for 0006's. tests/browse/test_search.py and tests/browse/test_stories.py fail without them.
"""

import importlib

from django.db import migrations, models

import articles.models.browse

TAG_TABLES = ("articles_articleperson", "articles_articleorganization", "articles_articleplace", "articles_articletopic")
DATE_INDEXES = {
    "articleperson": ("person", "article_person_by_date_idx"),
    "articleorganization": ("organization", "article_org_by_date_idx"),
    "articleplace": ("place", "article_place_by_date_idx"),
    "articletopic": ("topic", "article_topic_by_date_idx"),
}
BEFORE = importlib.import_module("articles.migrations.0006_tag_dates_for_entity_ranges")

POSTGRESQL_CREATE = """
CREATE OR REPLACE FUNCTION articles_tag_copy_article() RETURNS trigger AS $$
BEGIN
    SELECT published_at, is_relevant, duplicate_of_id IS NOT NULL
    INTO NEW.published_at, NEW.article_relevant, NEW.article_is_copy
    FROM articles_article WHERE id = NEW.article_id;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION articles_article_copy_to_tags() RETURNS trigger AS $$
BEGIN
%(updates)s
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER articles_article_copy_to_tags_trigger ON articles_article;
CREATE TRIGGER articles_article_copy_to_tags_trigger
    AFTER UPDATE OF published_at, is_relevant, duplicate_of_id ON articles_article
    FOR EACH ROW
    WHEN (OLD.published_at IS DISTINCT FROM NEW.published_at OR OLD.is_relevant IS DISTINCT FROM NEW.is_relevant
          OR (OLD.duplicate_of_id IS NULL) <> (NEW.duplicate_of_id IS NULL))
    EXECUTE FUNCTION articles_article_copy_to_tags();
""" % {"updates": "\n".join(
    f"    UPDATE {table} SET published_at = NEW.published_at, article_relevant = NEW.is_relevant, "
    "article_is_copy = NEW.duplicate_of_id IS NOT NULL WHERE article_id = NEW.id;" for table in TAG_TABLES
)} + "".join(
    f"""
UPDATE {table} t SET article_is_copy = true
FROM articles_article a WHERE a.id = t.article_id AND a.duplicate_of_id IS NOT NULL;
""" for table in TAG_TABLES
)


def _copied(table: str, article_id: str) -> str:
    return (
        f"published_at = (SELECT published_at FROM articles_article WHERE id = {article_id}), "
        f"article_relevant = (SELECT is_relevant FROM articles_article WHERE id = {article_id}), "
        f"article_is_copy = (SELECT duplicate_of_id IS NOT NULL FROM articles_article WHERE id = {article_id})"
    )


# As in 0006, SQLite triggers update the row just written (they cannot assign NEW).
SQLITE_TAG_TRIGGERS = [
    statement
    for table in TAG_TABLES
    for statement in (
        *(f"DROP TRIGGER IF EXISTS {table}_copy_article_{event}" for event in ("insert", "update")),
        f"UPDATE {table} SET {_copied(table, f'{table}.article_id')}",
        *(
            f"CREATE TRIGGER {table}_copy_article_{event.lower()} AFTER {event} ON {table} BEGIN "
            f"UPDATE {table} SET {_copied(table, 'NEW.article_id')} WHERE id = NEW.id; END"
            for event in ("INSERT", "UPDATE")
        ),
    )
]

FTS_TOKENIZER = "porter unicode61 remove_diacritics 2 categories 'L* N* Co Mn'"
FTS_DELETE = ("INSERT INTO articles_article_fts(articles_article_fts, rowid, title, body) "
              "VALUES ('delete', OLD.id, OLD.title, OLD.body);")
FTS_INSERT = "INSERT INTO articles_article_fts(rowid, title, body) VALUES (NEW.id, NEW.title, NEW.body);"

SQLITE_ARTICLE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS articles_article_copy_to_tags",
    "CREATE TRIGGER articles_article_copy_to_tags AFTER UPDATE OF published_at, is_relevant, duplicate_of_id "
    "ON articles_article WHEN OLD.published_at IS NOT NEW.published_at OR OLD.is_relevant IS NOT NEW.is_relevant "
    "OR (OLD.duplicate_of_id IS NULL) IS NOT (NEW.duplicate_of_id IS NULL) BEGIN "
    + " ".join(
        f"UPDATE {table} SET published_at = NEW.published_at, article_relevant = NEW.is_relevant, "
        "article_is_copy = NEW.duplicate_of_id IS NOT NULL WHERE article_id = NEW.id;" for table in TAG_TABLES
    )
    + " END",
    f"CREATE TRIGGER IF NOT EXISTS articles_article_fts_insert AFTER INSERT ON articles_article BEGIN {FTS_INSERT} END",
    f"CREATE TRIGGER IF NOT EXISTS articles_article_fts_delete AFTER DELETE ON articles_article BEGIN {FTS_DELETE} END",
    "CREATE TRIGGER IF NOT EXISTS articles_article_fts_update AFTER UPDATE OF title, body ON articles_article "
    f"WHEN OLD.title IS NOT NEW.title OR OLD.body IS NOT NEW.body BEGIN {FTS_DELETE} {FTS_INSERT} END",
]

SQLITE_CREATE = [
    *SQLITE_TAG_TRIGGERS,
    "CREATE VIRTUAL TABLE articles_article_fts USING fts5(title, body, content='articles_article', "
    f"content_rowid='id', tokenize=\"{FTS_TOKENIZER}\")",
    *SQLITE_ARTICLE_TRIGGERS,
    "INSERT INTO articles_article_fts(articles_article_fts) VALUES ('rebuild')",
]

SQLITE_DROP = [
    *(f"DROP TRIGGER IF EXISTS articles_article_fts_{event}" for event in ("insert", "delete", "update")),
    "DROP TABLE IF EXISTS articles_article_fts",
    *BEFORE.SQLITE_DROP,
]

# Back to 0006's functions and trigger, which leave article_is_copy alone.
POSTGRESQL_DROP = BEFORE.POSTGRESQL_DROP + BEFORE.POSTGRESQL_CREATE


def _on_sqlite(statements: list[str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


STORY_INDEX = models.Index(
    models.F("is_relevant"),
    models.OrderBy(models.F("published_at"), descending=True, nulls_last=True),
    models.OrderBy(models.F("id"), descending=True),
    condition=models.Q(duplicate_of__isnull=True),
    name="article_story_recent_idx",
)


def _story_index_on_postgresql(action: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            getattr(schema_editor, action)(apps.get_model("articles", "Article"), STORY_INDEX)

    return run


def _date_index(model: str) -> models.Index:
    entity, name = DATE_INDEXES[model]
    fields = [entity, "-published_at", "-article", "article_relevant", "article_is_copy"]
    return models.Index(condition=models.Q(rejected=False), fields=fields, name=name)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0008_article_versions_copy_claims_and_visible_text"),
    ]

    operations = [
        # SQLite rebuilds a tag table to add its column, which fails while the article's trigger
        # names the table: 0006's triggers go first, and come back from the next step (or, going
        # back, once the column is gone).
        migrations.RunPython(_on_sqlite(BEFORE.SQLITE_DROP), _on_sqlite(BEFORE.SQLITE_CREATE)),
        *(migrations.RemoveIndex(model_name=model, name=name) for model, (_, name) in DATE_INDEXES.items()),
        *(
            migrations.AddField(
                model_name=model, name="article_is_copy", field=models.BooleanField(default=False, editable=False),
            )
            for model in DATE_INDEXES
        ),
        migrations.RunPython(BEFORE._run(POSTGRESQL_CREATE, SQLITE_CREATE), BEFORE._run(POSTGRESQL_DROP, SQLITE_DROP)),
        *(migrations.AddIndex(model_name=model, index=_date_index(model)) for model in DATE_INDEXES),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="article", index=STORY_INDEX)],
            database_operations=[
                migrations.RunPython(_story_index_on_postgresql("add_index"), _story_index_on_postgresql("remove_index"))
            ],
        ),
        migrations.CreateModel(
            name="ArticleText",
            fields=[
                ("article", models.OneToOneField(
                    db_column="rowid", on_delete=models.deletion.DO_NOTHING, primary_key=True,
                    related_name="search_text", serialize=False, to="articles.article",
                )),
                ("title", models.TextField()),
                ("body", models.TextField()),
                ("index", articles.models.browse.FullTextIndexField(db_column="articles_article_fts")),
            ],
            options={"db_table": "articles_article_fts", "managed": False},
        ),
    ]
