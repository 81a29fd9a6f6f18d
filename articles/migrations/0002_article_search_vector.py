"""A stored full-text vector on articles, kept current by a trigger and searched through a GIN index.

PostgreSQL only: on SQLite the column stays null and search falls back to a plain match.
"""

import django.contrib.postgres.search
from django.db import migrations

# Title words weigh more (A) than body words (B) in ranking; 'english' stems "talks" to "talk".
CREATE = """
CREATE FUNCTION articles_article_search_vector_update() RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english'::regconfig, coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(NEW.body, '')), 'B');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER articles_article_search_vector_trigger
    BEFORE INSERT OR UPDATE OF title, body ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector_update();

UPDATE articles_article SET title = title;

CREATE INDEX article_search_vector_idx ON articles_article USING gin (search_vector);
"""

DROP = """
DROP INDEX IF EXISTS article_search_vector_idx;
DROP TRIGGER IF EXISTS articles_article_search_vector_trigger ON articles_article;
DROP FUNCTION IF EXISTS articles_article_search_vector_update();
"""


def _on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0001_initial_schema"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP)),
    ]
