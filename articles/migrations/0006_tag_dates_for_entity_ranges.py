"""Each tag row carries its article's date and relevance, kept by triggers, and an (entity, date) index.

An entity's articles in a date range, its monthly mentions and the articles near another in time
become one range of a small index instead of a walk over every article of the period (at a
million articles: a mid-ranked person in one year walked ~100,000 articles to find 1,000).
Triggers rather than application code keep the copy true whatever writes the rows: the tagger,
an editor in the admin, bulk loads and COPY.
"""

from django.db import migrations, models

TAG_TABLES = ("articles_articleperson", "articles_articleorganization", "articles_articleplace", "articles_articletopic")

POSTGRESQL_CREATE = """
CREATE FUNCTION articles_tag_copy_article() RETURNS trigger AS $$
BEGIN
    SELECT published_at, is_relevant INTO NEW.published_at, NEW.article_relevant
    FROM articles_article WHERE id = NEW.article_id;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION articles_article_copy_to_tags() RETURNS trigger AS $$
BEGIN
%(updates)s
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER articles_article_copy_to_tags_trigger
    AFTER UPDATE OF published_at, is_relevant ON articles_article
    FOR EACH ROW
    WHEN (OLD.published_at IS DISTINCT FROM NEW.published_at OR OLD.is_relevant IS DISTINCT FROM NEW.is_relevant)
    EXECUTE FUNCTION articles_article_copy_to_tags();
""" % {"updates": "\n".join(
    f"    UPDATE {table} SET published_at = NEW.published_at, article_relevant = NEW.is_relevant "
    "WHERE article_id = NEW.id;" for table in TAG_TABLES
)} + "".join(
    f"""
UPDATE {table} t SET published_at = a.published_at, article_relevant = a.is_relevant
FROM articles_article a WHERE a.id = t.article_id;
CREATE TRIGGER {table}_copy_article_trigger
    BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION articles_tag_copy_article();
""" for table in TAG_TABLES
)

POSTGRESQL_DROP = "".join(
    f"DROP TRIGGER IF EXISTS {table}_copy_article_trigger ON {table};\n" for table in TAG_TABLES
) + """
DROP TRIGGER IF EXISTS articles_article_copy_to_tags_trigger ON articles_article;
DROP FUNCTION IF EXISTS articles_article_copy_to_tags();
DROP FUNCTION IF EXISTS articles_tag_copy_article();
"""

# SQLite triggers cannot assign NEW, so they update the row just written (recursive triggers are
# off by default, so that update does not fire them again).
SQLITE_CREATE = [
    statement
    for table in TAG_TABLES
    for statement in (
        f"""UPDATE {table} SET
            published_at = (SELECT published_at FROM articles_article WHERE id = {table}.article_id),
            article_relevant = (SELECT is_relevant FROM articles_article WHERE id = {table}.article_id)""",
        *(
            f"""CREATE TRIGGER {table}_copy_article_{event.lower()} AFTER {event} ON {table} BEGIN
                UPDATE {table} SET
                    published_at = (SELECT published_at FROM articles_article WHERE id = NEW.article_id),
                    article_relevant = (SELECT is_relevant FROM articles_article WHERE id = NEW.article_id)
                WHERE id = NEW.id;
            END"""
            for event in ("INSERT", "UPDATE")
        ),
    )
] + [
    "CREATE TRIGGER articles_article_copy_to_tags AFTER UPDATE OF published_at, is_relevant ON articles_article "
    "BEGIN "
    + " ".join(
        f"UPDATE {table} SET published_at = NEW.published_at, article_relevant = NEW.is_relevant "
        "WHERE article_id = NEW.id;" for table in TAG_TABLES
    )
    + " END"
]

SQLITE_DROP = ["DROP TRIGGER IF EXISTS articles_article_copy_to_tags"] + [
    f"DROP TRIGGER IF EXISTS {table}_copy_article_{when}" for table in TAG_TABLES for when in ("insert", "update")
]


def _run(postgresql: str, sqlite: list[str]):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(postgresql)
        elif vendor == "sqlite":
            for statement in sqlite:
                schema_editor.execute(statement)

    return run



class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0005_article_relevant_recent_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='articleorganization',
            name='article_relevant',
            field=models.BooleanField(default=True, editable=False),
        ),
        migrations.AddField(
            model_name='articleorganization',
            name='published_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='articleperson',
            name='article_relevant',
            field=models.BooleanField(default=True, editable=False),
        ),
        migrations.AddField(
            model_name='articleperson',
            name='published_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='articleplace',
            name='article_relevant',
            field=models.BooleanField(default=True, editable=False),
        ),
        migrations.AddField(
            model_name='articleplace',
            name='published_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='articletopic',
            name='article_relevant',
            field=models.BooleanField(default=True, editable=False),
        ),
        migrations.AddField(
            model_name='articletopic',
            name='published_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(_run(POSTGRESQL_CREATE, SQLITE_CREATE), _run(POSTGRESQL_DROP, SQLITE_DROP)),
        migrations.AddIndex(
            model_name='articleorganization',
            index=models.Index(condition=models.Q(('rejected', False)), fields=['organization', '-published_at', '-article', 'article_relevant'], name='article_org_by_date_idx'),
        ),
        migrations.AddIndex(
            model_name='articleperson',
            index=models.Index(condition=models.Q(('rejected', False)), fields=['person', '-published_at', '-article', 'article_relevant'], name='article_person_by_date_idx'),
        ),
        migrations.AddIndex(
            model_name='articleplace',
            index=models.Index(condition=models.Q(('rejected', False)), fields=['place', '-published_at', '-article', 'article_relevant'], name='article_place_by_date_idx'),
        ),
        migrations.AddIndex(
            model_name='articletopic',
            index=models.Index(condition=models.Q(('rejected', False)), fields=['topic', '-published_at', '-article', 'article_relevant'], name='article_topic_by_date_idx'),
        ),
    ]
