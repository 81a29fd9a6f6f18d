"""Fixtures of the tagging tests: articles written on the spot."""

import datetime as dt
import hashlib
import itertools

import pytest

from articles.models import Article, DatePrecision

_numbers = itertools.count(1)


@pytest.fixture
def make_article(db):
    """An untagged article with this body; `published` is a date or None."""

    def make(body: str, *, title: str = "", published: dt.date | None = None, dateline: str = "") -> Article:
        number = next(_numbers)
        return Article.objects.create(
            url=f"https://news.example/tagging/{number}",
            title=title or body.split(".")[0][:200] or f"Article {number}",
            body=body,
            dateline=dateline,
            published_at=dt.datetime.combine(published, dt.time(9), tzinfo=dt.UTC) if published else None,
            published_precision=DatePrecision.EXACT,
            content_hash=hashlib.sha256(body.encode()).hexdigest(),
        )

    return make
