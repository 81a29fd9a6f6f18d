"""Loads the demo corpus: its invented outlets, their feeds, then every file through ingestion.

The outlets are marked `is_demo`, so the site labels their articles as demo content written for
Newsroom. Their feeds are registered inactive: the hosts are fictional (.example), so beat must
never poll them; the files are ingested from disk instead, through the same code as any feed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import yaml
from django.conf import settings
from django.db import transaction

from articles.ingest import IngestReport, path_ingest
from articles.models import Feed, Source

DEMO_DIR = Path(settings.BASE_DIR) / "content" / "demo"
FEED_FORMATS = {"rss2", "rss1", "atom", "jsonfeed"}


@dataclass
class DemoLoadReport:
    outlets: int = 0
    feeds: int = 0
    ingest: IngestReport = field(default_factory=IngestReport)


def read_outlets(directory: Path) -> list[dict]:
    outlets = yaml.safe_load((directory / "outlets.yaml").read_text(encoding="utf-8"))
    missing = [o["slug"] for o in outlets if not (directory / o["feed"]).exists()]
    if missing:
        raise ValueError(f"demo outlets without their files: {', '.join(missing)}")
    return outlets


@transaction.atomic
def demo_outlets_upsert(outlets: list[dict]) -> tuple[list[Source], int]:
    sources, feeds = [], 0
    for outlet in outlets:
        source, _ = Source.objects.update_or_create(
            slug=outlet["slug"],
            defaults={
                "name": outlet["name"],
                "homepage": outlet["homepage"],
                "country": outlet.get("country", ""),
                "is_demo": bool(outlet.get("demo", True)),
            },
        )
        sources.append(source)
        if outlet["format"] in FEED_FORMATS:
            Feed.objects.update_or_create(
                url=urljoin(outlet["homepage"], Path(outlet["feed"]).name),
                defaults={"source": source, "title": outlet["name"], "active": False},
            )
            feeds += 1
    return sources, feeds


def demo_content_load(directory: Path = DEMO_DIR) -> DemoLoadReport:
    """Register the demo outlets and ingest their files; a second run creates nothing."""
    outlets = read_outlets(directory)
    sources, feeds = demo_outlets_upsert(outlets)
    report = DemoLoadReport(outlets=len(sources), feeds=feeds)
    for outlet in outlets:
        path_ingest(directory / outlet["feed"], source_name=outlet["name"], report=report.ingest)
    return report
