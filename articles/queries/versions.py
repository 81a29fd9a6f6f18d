"""An article's earlier texts and its copy claim, for the article page and the versions page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from articles.models import Article, ArticleVersion, CopyClaim, Source


@dataclass(frozen=True)
class Text:
    """One version of an article as the page compares it; number N+1 is the article as it is now."""

    number: int
    title: str
    byline: str
    body: str
    source: Source | None
    fetched_at: dt.datetime | None
    superseded_at: dt.datetime | None  # None for the current text
    current: bool = False


@dataclass(frozen=True)
class ArticleHistory:
    """What the article page says about an article's past: its earlier versions and any copy claim."""

    version_count: int
    claim: CopyClaim | None


def article_history(article: Article) -> ArticleHistory:
    """How many earlier versions `article` has, and the copy claim it is (two indexed reads)."""
    claim = CopyClaim.objects.filter(article=article).select_related("original__source").first()
    return ArticleHistory(version_count=ArticleVersion.objects.filter(article=article).count(), claim=claim)


def article_with_source(pk: int) -> Article | None:
    return Article.objects.select_related("source").filter(pk=pk).first()


def article_texts(article: Article) -> list[Text]:
    """Every text the article had, oldest first, ending with the current one (one query)."""
    versions = ArticleVersion.objects.filter(article=article).select_related("source").order_by("number")
    texts = [
        Text(v.number, v.title, v.byline, v.body, v.source, v.fetched_at, v.superseded_at) for v in versions
    ]
    texts.append(Text(
        len(texts) + 1, article.title, article.byline, article.body, article.source, article.fetched_at, None,
        current=True,
    ))
    return texts
