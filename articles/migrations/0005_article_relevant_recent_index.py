"""An index of relevant articles newest first, undated last, for the capped counts and facet samples.

PostgreSQL only: SQLite cannot create an index with NULLS LAST, and needs none at its sizes. The
model state has the index everywhere, so Django sees no difference to migrate.
"""

from django.db import migrations, models

INDEX = models.Index(
    models.F("is_relevant"),
    models.OrderBy(models.F("published_at"), descending=True, nulls_last=True),
    models.OrderBy(models.F("id"), descending=True),
    name="article_relevant_recent_idx",
)


def _on_postgresql(action: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            getattr(schema_editor, action)(apps.get_model("articles", "Article"), INDEX)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0004_tagging_quotes_evidence_retag_jobs"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="article", index=INDEX)],
            database_operations=[migrations.RunPython(_on_postgresql("add_index"), _on_postgresql("remove_index"))],
        ),
    ]
