"""An index of each language's articles newest first, for the list's `language` filter (issue 14)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0012_search_in_the_normal_form"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["language", "-published_at"], name="article_language_published_idx"),
        ),
    ]
