"""What a body of bytes is (a feed, a page, JSON, JSON lines, plain text), told by its content.

The file name or Content-Type only breaks a tie; a `.txt` that is really a feed is read as a feed.
"""

from __future__ import annotations

import codecs
import enum
import re

import charset_normalizer


class Kind(enum.StrEnum):
    XML_FEED = "xml feed"
    JSON_FEED = "json feed"
    JSON = "json"
    JSONL = "jsonl"
    HTML = "html"
    TEXT = "text"


class UnknownFormat(ValueError):
    """Not something Newsroom can read."""


FEED_ROOTS = {"rss", "rdf:rdf", "rdf", "feed", "channel"}
HTML_ROOTS = {
    "html", "head", "body", "article", "main", "div", "p", "section", "h1", "h2", "title", "meta", "table", "span",
}
ROOT_ELEMENT = re.compile(r"<([A-Za-z][\w.:-]*)")
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", re.IGNORECASE)


def _head_text(data: bytes, size: int = 4096) -> str:
    """The start of the data as text, good enough to look at markup (UTF-16 and UTF-32 by their BOM)."""
    head = data[:size]
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(bom):
            return head.decode(codec, errors="ignore").lstrip("\ufeff \t\r\n")
    return head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")


def root_element(markup_head: str) -> str:
    """The name of the first element, skipping the XML declaration, DOCTYPE and comments."""
    text = re.sub(r"<!--.*?-->|<\?.*?\?>|<!DOCTYPE[^>\[]*(\[.*?\])?\s*>", "", markup_head, flags=re.S | re.I)
    match = ROOT_ELEMENT.search(text)
    return match.group(1).lower() if match else ""


def detect(data: bytes, *, name: str = "", content_type: str = "") -> Kind:
    """The kind of a document, from its content."""
    head = _head_text(data)
    if not head.strip():
        raise UnknownFormat("empty document")
    if "\x00" in head or "\ufffd\ufffd\ufffd" in head[:64]:
        raise UnknownFormat("binary data, not a text document")
    if head.startswith("<"):
        low = head.lower()
        root = root_element(head)
        if root in FEED_ROOTS or root.endswith(":rdf"):
            return Kind.XML_FEED
        if low.startswith("<!doctype html") or root in HTML_ROOTS or "html" in content_type:
            return Kind.HTML
        raise UnknownFormat(f"XML with a <{root or '?'}> root is neither a feed nor a page")
    if head[0] in "{[":
        if re.search(r'"version"\s*:\s*"https?://jsonfeed\.org/', head):
            return Kind.JSON_FEED
        lines = [line for line in head.splitlines() if line.strip()]
        if name.lower().endswith(".jsonl") or (len(lines) > 1 and lines[0].rstrip().endswith("}") and lines[1].lstrip().startswith("{")):
            return Kind.JSONL
        return Kind.JSON
    return Kind.TEXT


def without_nul(text: str) -> str:
    """PostgreSQL text cannot hold NUL characters; nothing we store needs them."""
    return text.replace("\x00", "")


def declared_charset(data: bytes, content_type_header: str = "") -> str:
    """The charset the document claims: HTTP header first, then the XML declaration or a <meta>."""
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type_header or "", re.IGNORECASE)
    if match:
        return match.group(1).lower()
    head = data[:2048]
    match = XML_ENCODING.search(head.lstrip()) or META_CHARSET.search(head)
    return match.group(1).decode("ascii", "ignore").lower() if match else ""


def decode_text(data: bytes, *, declared: str = "") -> str:
    """Bytes to text: a BOM, then valid UTF-8, then the declared charset, then detection."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared and declared not in ("utf-8", "utf8"):
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise UnknownFormat("cannot tell the text encoding")
    return str(best)
