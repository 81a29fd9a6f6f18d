"""Events say where they come from: curated, machine-made (with a key per happening, so merges and
rejections stick) or rejected; evidence keeps the sentence's end, its basis and the words that
dated it; articles keep where their publication date comes from."""

import django.db.models.deletion
from django.db import migrations, models

from ._in_place import InPlace


def mark_origins(apps, schema_editor):
    """Unreviewed events were all made by the tagger; an approximate date was read from the text."""
    apps.get_model("articles", "Event").objects.filter(reviewed=False).update(machine_made=True)
    apps.get_model("articles", "Article").objects.filter(published_precision="approximate").update(published_basis="text")


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0009_stories_once_and_sqlite_full_text'),
    ]

    operations = [
        InPlace(
            migrations.AddField(
                model_name='article',
                name='published_basis',
                field=models.CharField(blank=True, choices=[('editor', 'set by an editor'), ('metadata', "the page's metadata"), ('feed', 'the feed'), ('dateline', 'the dateline'), ('text', 'the text'), ('', 'no safe date')], default='metadata', help_text='Where the publication date comes from; the tagger re-reads only a date it read itself.', max_length=10),
            ),
            sqlite=['ALTER TABLE "articles_article" ADD COLUMN "published_basis" varchar(10) DEFAULT \'metadata\' NOT NULL'],
            sqlite_backwards=['ALTER TABLE "articles_article" DROP COLUMN "published_basis"'],
        ),
        InPlace(
            migrations.AddConstraint(
                model_name='article',
                constraint=models.CheckConstraint(condition=models.Q(('published_basis__in', ['editor', 'metadata', 'feed', 'dateline', 'text', ''])), name='article_published_basis_valid'),
            ),
        ),
        InPlace(
            migrations.AddConstraint(
                model_name='article',
                constraint=models.CheckConstraint(condition=models.Q(('published_at__isnull', True), models.Q(('published_basis', ''), _negated=True), _connector='OR'), name='article_published_has_a_basis'),
            ),
        ),
        migrations.CreateModel(
            name='EventKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=200, unique=True)),
            ],
        ),
        migrations.AddField(
            model_name='event',
            name='aliases',
            field=models.JSONField(blank=True, default=list, help_text="Names the news gives it ('the Doha agreement'): an article naming it is linked."),
        ),
        migrations.AddField(
            model_name='event',
            name='machine_made',
            field=models.BooleanField(default=False, help_text="Found by the tagger in an article's sentence."),
        ),
        migrations.AddField(
            model_name='event',
            name='rejected',
            field=models.BooleanField(default=False, help_text='An editor rejected it: shown nowhere, and re-tagging never brings it back.'),
        ),
        migrations.AddField(
            model_name='eventevidence',
            name='basis',
            field=models.CharField(choices=[('reported', 'the article reports it'), ('named', 'the article names it'), ('described', 'the article describes it')], default='reported', max_length=10),
        ),
        migrations.AddField(
            model_name='eventevidence',
            name='date_text',
            field=models.CharField(blank=True, help_text="The words that date it ('on Monday'), read against the article's date.", max_length=200),
        ),
        migrations.AddField(
            model_name='eventevidence',
            name='end',
            field=models.PositiveIntegerField(blank=True, help_text='Where it ends.', null=True),
        ),
        migrations.AlterField(
            model_name='event',
            name='reviewed',
            field=models.BooleanField(default=False, help_text='On the timeline: curated, or confirmed by an editor.'),
        ),
        migrations.AlterField(
            model_name='eventevidence',
            name='offset',
            field=models.PositiveIntegerField(help_text="Where the sentence starts in the article's body."),
        ),
        migrations.AddIndex(
            model_name='event',
            index=models.Index(condition=models.Q(('rejected', False)), fields=['reviewed', '-start_date'], name='event_timeline_idx'),
        ),
        migrations.AddConstraint(
            model_name='event',
            constraint=models.CheckConstraint(condition=models.Q(('rejected', True), ('reviewed', True), _negated=True), name='event_rejected_not_reviewed'),
        ),
        migrations.AddConstraint(
            model_name='eventevidence',
            constraint=models.CheckConstraint(condition=models.Q(('basis__in', ['reported', 'named', 'described'])), name='event_evidence_basis_valid'),
        ),
        migrations.AddConstraint(
            model_name='eventevidence',
            constraint=models.CheckConstraint(condition=models.Q(('end__isnull', True), ('end__gte', models.F('offset')), _connector='OR'), name='event_evidence_end_after_offset'),
        ),
        migrations.AddField(
            model_name='eventkey',
            name='event',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='keys', to='articles.event'),
        ),
        migrations.RunPython(mark_origins, migrations.RunPython.noop),
    ]
