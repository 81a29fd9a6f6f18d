"""Reading feeds: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed through json.

XML is refused outright when it declares entities (the billion-laughs and external-entity tricks
need a declaration); feedparser is then given the bytes, never a URL or a path, so it cannot
fetch or open anything itself.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

import feedparser

from articles.models import DatePrecision

from .documents import ParsedDocument, blocks_from_html, document_from_blocks, html_to_text, parse_date
from .formats import Kind, _head_text, decode_text, detect
from .urls import is_web_url, normalize_url

ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.IGNORECASE)
# RSS 2.0's <author> is "email (Name)"; feedparser's own split cuts long top-level domains short.
RSS_AUTHOR = re.compile(r"^\s*\S+@\S+\s*\((?P<name>[^)]+)\)\s*$")
MAX_ENTRIES = 1000


class FeedError(ValueError):
    """A document that cannot be read as a feed, with the reason."""


@dataclass
class FeedEntry:
    guid: str
    link: str
    title: str
    content_html: str = ""
    byline: str = ""
    published_at: dt.datetime | None = None
    published_precision: str = DatePrecision.EXACT
    language: str = ""


@dataclass
class ParsedFeed:
    title: str
    link: str
    language: str = ""
    entries: list[FeedEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def refuse_entity_declarations(data: bytes) -> None:
    """Entities are declared in the prolog, before the root element; look there only."""
    head = _head_text(data, size=65536)
    root = re.search(r"<[A-Za-z]", head)
    prolog = head[: root.start()] if root else head
    if ENTITY_DECLARATION.search(prolog):
        raise FeedError("the XML declares entities, which Newsroom refuses to expand")


def _struct_to_datetime(value) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(value), tz=dt.UTC)
    except (OverflowError, ValueError, TypeError):
        return None


def _richest_content(entry) -> str:
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    candidates = [*contents, entry.get("summary", "")]
    return max(candidates, key=len) if candidates else ""


def _xml_feed(data: bytes, *, url: str, headers: dict[str, str]) -> ParsedFeed:
    refuse_entity_declarations(data)
    parsed = feedparser.parse(
        io.BytesIO(data),
        response_headers={k: v for k, v in headers.items() if k.lower() == "content-type"},
        sanitize_html=False,  # nh3 sanitizes whatever is stored
        resolve_relative_uris=False,
    )
    warnings = []
    if parsed.get("bozo"):
        problem = parsed.get("bozo_exception")
        if not any(entry.get("link") or _richest_content(entry) for entry in parsed.entries):
            raise FeedError(f"not a readable feed: {str(problem)[:300]}")
        warnings.append(f"feed is not well-formed, read leniently: {str(problem)[:300]}")
    channel = parsed.feed
    base = channel.get("link") or url
    language = (channel.get("language") or "")[:12]
    entries = []
    for item in parsed.entries[:MAX_ENTRIES]:
        author = item.get("author") or ""
        rss_author = RSS_AUTHOR.match(author)
        if rss_author:
            author = rss_author.group("name")
        elif "@" in author:
            author = (item.get("author_detail") or {}).get("name") or ""
        link = item.get("link") or ""
        # dict.get: feedparser's own get() maps a missing `updated` to `published`, with a warning.
        published = _struct_to_datetime(dict.get(item, "published_parsed") or dict.get(item, "updated_parsed"))
        entries.append(
            FeedEntry(
                guid=(item.get("id") or "").strip(),
                link=urljoin(url or base, link.strip()) if link else "",
                title=html_to_text(item.get("title") or ""),
                content_html=_richest_content(item),
                byline=html_to_text(author),
                published_at=published,
                language=language,
            )
        )
    return ParsedFeed(
        title=html_to_text(channel.get("title") or ""),
        link=base,
        language=language,
        entries=entries,
        warnings=warnings,
    )


def _json_feed(data: bytes, *, url: str) -> ParsedFeed:
    try:
        document = json.loads(decode_text(data))
    except ValueError as exc:
        raise FeedError(f"not valid JSON: {exc}") from exc
    if not isinstance(document, dict) or "jsonfeed.org" not in str(document.get("version", "")):
        raise FeedError("JSON that is not a JSON Feed (no jsonfeed.org version)")
    items = document.get("items")
    if not isinstance(items, list):
        raise FeedError("JSON Feed without an items list")
    language = str(document.get("language") or "")[:12]
    entries = []
    for item in items[:MAX_ENTRIES]:
        if not isinstance(item, dict):
            continue
        authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
        names = [str(a.get("name", "")) for a in authors if isinstance(a, dict) and a.get("name")]
        content = item.get("content_html") or ""
        if not content and item.get("content_text"):
            content = "".join(f"<p>{html_escape(p)}</p>" for p in str(item["content_text"]).split("\n\n"))
        published, precision = parse_date(str(item.get("date_published") or item.get("date_modified") or ""))
        link = str(item.get("url") or item.get("external_url") or "")
        entries.append(
            FeedEntry(
                guid=str(item.get("id") or "").strip(),
                link=urljoin(url, link) if link else "",
                title=html_to_text(str(item.get("title") or "")),
                content_html=str(content or item.get("summary") or ""),
                byline=", ".join(names),
                published_at=published,
                published_precision=precision,
                language=str(item.get("language") or language)[:12],
            )
        )
    return ParsedFeed(
        title=html_to_text(str(document.get("title") or "")),
        link=str(document.get("home_page_url") or url),
        language=language,
        entries=entries,
    )


def html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def parse_feed(data: bytes, *, url: str = "", headers: dict[str, str] | None = None, kind: Kind | None = None) -> ParsedFeed:
    """A feed document's channel and entries; FeedError says why when it cannot be read."""
    kind = kind or detect(data, content_type=(headers or {}).get("content-type", ""))
    if kind is Kind.JSON_FEED or kind is Kind.JSON:
        return _json_feed(data, url=url)
    if kind is Kind.XML_FEED:
        return _xml_feed(data, url=url, headers=headers or {})
    raise FeedError(f"a {kind} document, not a feed")


def entry_document(entry: FeedEntry, *, feed: ParsedFeed | None = None, source_id: int | None = None) -> ParsedDocument:
    """A document from what the feed itself carried (no page fetched)."""
    url = ""
    if entry.link and is_web_url(entry.link):
        url = normalize_url(entry.link)
    return document_from_blocks(
        blocks_from_html(entry.content_html),
        url=url,
        title=entry.title,
        byline=entry.byline[:500],
        published_at=entry.published_at,
        published_precision=entry.published_precision,
        language=entry.language,
        source_name=feed.title if feed else "",
        source_homepage=feed.link if feed and is_web_url(feed.link) else "",
        source_id=source_id,
    )
