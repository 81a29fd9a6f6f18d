"""The pickers' type-ahead: entities whose names contain what was typed."""

from __future__ import annotations

from django.db.models import F, Q

from articles.models import ENTITY_KINDS, Event, Source

SUGGEST_LIMIT = 8


def entity_suggest(*, kind: str, text: str, limit: int = SUGGEST_LIMIT) -> list[dict]:
    """Entities whose name, alias or acronym contains `text`, names that start with it first."""
    text = text.strip()
    if len(text) < 2:
        return []
    kinds = [kind] if kind in ENTITY_KINDS or kind in ("source", "event") else [*ENTITY_KINDS, "source"]
    found = []
    for name in kinds:
        if name == "source":
            rows = Source.objects.filter(name__icontains=text).values("slug", "name")
            extra = ""
        elif name == "event":
            rows = Event.objects.filter(title__icontains=text).values("slug", name=F("title"))
            extra = ""
        else:
            condition = Q(name__icontains=text) | Q(aliases__icontains=text)
            if name == "organization":
                condition |= Q(acronyms__icontains=text)
            rows = ENTITY_KINDS[name].model.objects.filter(condition).values("slug", "name")
            extra = "title" if name == "person" else ("kind" if name in ("organization", "place") else "")
            if extra:
                rows = rows.values("slug", "name", extra)
        lowered = text.lower()
        for row in rows.order_by("name")[: limit * 3]:
            found.append({
                "kind": name, "slug": row["slug"], "name": row["name"],
                "detail": str(row.get(extra, "") or "").replace("_", " ") if extra else "",
                "_rank": (not row["name"].lower().startswith(lowered), len(row["name"])),
            })
    found.sort(key=lambda r: r.pop("_rank"))
    return found[:limit]
