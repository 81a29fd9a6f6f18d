"""The article body as HTML paragraphs, each linked mention of an entity marked and linked to its page.

Spans come from the tagger's own matcher (the same pass that made the tags), so what is
highlighted is exactly what was linked; mentions of entities an editor rejected stay plain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from articles.tagging.knowledge import get_index

_PARAGRAPHS = re.compile(r"\n\s*\n|\n")


@dataclass(frozen=True)
class Linked:
    kind: str
    name: str
    url: str


def body_html(body: str, linked: dict[tuple[str, int], Linked]) -> SafeString:
    """`body` as <p> paragraphs with the mentions of `linked` entities (by tagger key) as links."""
    # The linked entities as context settle short forms the way the tagger settled them.
    mentions = get_index().matcher.find(body, frozenset(linked)).mentions if linked else []
    parts: list[str] = []
    position = 0
    for mention in mentions:
        entity = linked.get(mention.entity)
        if entity is None or mention.start < position or "\n" in body[mention.start : mention.end]:
            continue
        parts.append(escape(body[position : mention.start]))
        parts.append(format_html(
            '<a class="mention {}" href="{}" title="{}">{}</a>',
            entity.kind, entity.url, entity.name, body[mention.start : mention.end],
        ))
        position = mention.end
    parts.append(escape(body[position:]))
    html = "".join(parts)
    paragraphs = [p.strip() for p in _PARAGRAPHS.split(html) if p.strip()]
    return mark_safe("".join(f"<p>{p}</p>" for p in paragraphs))


# The kinds whose mentions are linked in a body: a topic has no one name to mark.
LINKED_KINDS = ("person", "organization", "place")


def article_body_html(article) -> SafeString:
    """The body of an article read by articles.queries.articles.article_detail (its tag links
    prefetched) with its linked mentions of people, organizations and places marked up."""
    linked = {}
    for kind in LINKED_KINDS:
        for link in getattr(article, f"{kind}_links").all():
            entity = getattr(link, kind)
            linked[(kind, entity.pk)] = Linked(kind, entity.name, entity.get_absolute_url())
    return body_html(article.body, linked)
