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
from .formats import ENTITIES_REFUSED, Kind, _head_text, declares_entities, decode_text, detect, without_nul_bytes
from .urls import is_web_url, normalize_url

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
    if declares_entities(_head_text(data, size=65536)):
        raise FeedError(ENTITIES_REFUSED)


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


# JSON Feed 1.0 and 1.1 (https://www.jsonfeed.org/version/1.1/): the fields read here that must be strings.
FEED_STRING_FIELDS = ("version", "title", "home_page_url", "feed_url", "description", "language")
ITEM_STRING_FIELDS = (
    "url", "external_url", "title", "content_html", "content_text", "summary", "date_published", "date_modified", "language",
)
BAD_ITEMS_NAMED = 10  # more than this many skipped items are counted, not each described


def _json_type(value: object) -> str:
    """The JSON name of a decoded value's type, for error messages."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return {dict: "an object", list: "an array", str: "a string", type(None): "null"}.get(type(value), "a value")


def _not_strings(fields: dict, names: tuple[str, ...]) -> list[str]:
    """'url is a number, not a string' for each of the fields present (and not null) with another type."""
    return [f"{name} is {_json_type(fields[name])}, not a string"
            for name in names if fields.get(name) is not None and not isinstance(fields[name], str)]


def json_feed_item_problems(item: object) -> list[str]:
    """What makes an entry of a JSON Feed unreadable (empty when it is fine); an id may be a number (the spec coerces it)."""
    if not isinstance(item, dict):
        return [f"{_json_type(item)}, not an object"]
    problems = _not_strings(item, ITEM_STRING_FIELDS)
    ident = item.get("id")
    if ident is not None and (isinstance(ident, bool) or not isinstance(ident, str | int | float)):
        problems.append(f"id is {_json_type(ident)}, not a string")
    authors = item.get("authors")
    if authors is not None and not isinstance(authors, list):
        problems.append(f"authors is {_json_type(authors)}, not an array")
    author = item.get("author")
    if author is not None and not isinstance(author, dict):
        problems.append(f"author is {_json_type(author)}, not an object")
    return problems


def _json_feed(data: bytes, *, url: str) -> ParsedFeed:
    """A JSON Feed, its structure checked: a wrong top level refuses the feed, a wrong item is skipped with a warning."""
    try:
        document = json.loads(decode_text(data))
    except ValueError as exc:
        raise FeedError(f"not valid JSON: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("version"), str) \
            or "jsonfeed.org" not in document["version"]:
        raise FeedError("JSON that is not a JSON Feed (no jsonfeed.org version)")
    problems = _not_strings(document, FEED_STRING_FIELDS)
    items = document.get("items")
    if not isinstance(items, list):
        problems.append(f"items is {_json_type(items)}, not an array" if "items" in document else "items is missing")
    if problems:
        raise FeedError(f"not a valid JSON Feed: {'; '.join(problems)}")
    language = (document.get("language") or "")[:12]
    entries, skipped = [], []
    for number, item in enumerate(items[:MAX_ENTRIES], start=1):
        item_problems = json_feed_item_problems(item)
        if item_problems:
            skipped.append(f"item {number}: {', '.join(item_problems)}; skipped")
            continue
        authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
        names = [str(a["name"]) for a in authors if isinstance(a, dict) and isinstance(a.get("name"), str) and a["name"]]
        content = item.get("content_html") or ""
        if not content and item.get("content_text"):
            content = "".join(f"<p>{html_escape(p)}</p>" for p in item["content_text"].split("\n\n"))
        published, precision = parse_date(item.get("date_published") or item.get("date_modified") or "")
        link = item.get("url") or item.get("external_url") or ""
        ident = item.get("id")
        entries.append(
            FeedEntry(
                guid="" if ident is None else str(ident).strip(),
                link=urljoin(url, link) if link else "",
                title=html_to_text(item.get("title") or ""),
                content_html=content or item.get("summary") or "",
                byline=", ".join(names),
                published_at=published,
                published_precision=precision,
                language=(item.get("language") or language)[:12],
            )
        )
    if skipped and not entries:
        raise FeedError(f"no readable item in the JSON Feed: {'; '.join(skipped[:3])}")
    warnings = skipped[:BAD_ITEMS_NAMED]
    if len(skipped) > BAD_ITEMS_NAMED:
        warnings.append(f"{len(skipped) - BAD_ITEMS_NAMED} more items skipped")
    return ParsedFeed(
        title=html_to_text(document.get("title") or ""),
        link=document.get("home_page_url") or url,
        language=language,
        entries=entries,
        warnings=warnings,
    )


def html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def parse_feed(data: bytes, *, url: str = "", headers: dict[str, str] | None = None, kind: Kind | None = None) -> ParsedFeed:
    """A feed document's channel and entries; FeedError says why when it cannot be read."""
    kind = kind or detect(data, content_type=(headers or {}).get("content-type", ""))
    data = without_nul_bytes(data)
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
