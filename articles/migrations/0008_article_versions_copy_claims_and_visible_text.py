"""Text stored before ingestion cleaned it at the door gets the same hygiene (articles.text.hygiene)."""

from django.db import migrations
from django.db.models import Q

from articles.ingest.documents import clean_byline, content_hash, visible_body
from articles.text.hygiene import invisible_ranges, visible

SURROGATES = range(0xD800, 0xE000)
# The text cleaned in place: (model, one-line fields, multi-line fields).
STORED_TEXT = (
    ("Article", ("title", "byline", "dateline"), ("body", "body_html")),
    ("Source", ("name",), ()),
    ("Feed", ("title",), ()),
    ("IngestItem", ("title", "byline"), ()),
)


def _invisible_class() -> str:
    """The invisible characters as a regex class that both databases read (without NUL and the
    surrogates, which neither can hold)."""
    ranges = [(max(first, 1), last) for first, last in invisible_ranges() if first not in SURROGATES]
    return "[" + "".join(chr(first) if first == last else f"{chr(first)}-{chr(last)}" for first, last in ranges) + "]"


def visible_stored_text(apps, schema_editor):
    """Rows stored before ingestion cleaned text at the door get the same hygiene (articles.text.hygiene).

    Only the rows holding an invisible character (a regex in the database), or a byline starting
    with its own "By", are read and written. A cleaned body gets its content hash again and the
    article tagger version 0, so `retag --stale` redoes its tags and quotes (their offsets moved).
    """
    pattern = _invisible_class()
    for model_name, one_line, multi_line in STORED_TEXT:
        model = apps.get_model("articles", model_name)
        fields = (*one_line, *multi_line)
        dirty = Q()
        for name in fields:
            dirty |= Q(**{f"{name}__regex": pattern})
        if model_name == "Article":
            dirty |= Q(byline__istartswith="by ") | Q(byline__istartswith="by:")
        for row in model.objects.filter(dirty).only("pk", *fields).iterator(chunk_size=500):
            changed = {name: visible(getattr(row, name), one_line=name in one_line).strip() for name in fields}
            if model_name == "Article":
                changed["body"] = visible_body(row.body)
                changed["byline"] = clean_byline(changed["byline"])
                changed["title"] = changed["title"] or "(untitled)"
                if changed["body"] != row.body:
                    changed.update(content_hash=content_hash(changed["body"]), tagger_version=0)
            if model_name == "Source" and not changed["name"]:
                continue  # a name of nothing but invisible characters: left for an editor to rename
            model.objects.filter(pk=row.pk).update(**changed)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0007_mention_months_rollup'),
    ]

    operations = [
        migrations.RunPython(visible_stored_text, migrations.RunPython.noop),
    ]
