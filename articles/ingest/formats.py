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
ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.IGNORECASE)
ENTITIES_REFUSED = "the XML declares entities, which Newsroom refuses to expand"
# Signatures (magic numbers) of binary formats servers hand out in place of a page or feed.
BINARY_SIGNATURES = (
    (b"%PDF-", "a PDF document"), (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"), (b"\xff\xd8\xff", "a JPEG image"), (b"RIFF", "a RIFF file (WebP, WAV, AVI)"),
    (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"), (b"\x00\x00\x01\x00", "an icon"),
    (b"wOFF", "a web font"), (b"wOF2", "a web font"), (b"PK\x03\x04", "a zip archive (or an office document)"),
    (b"PK\x05\x06", "an empty zip archive"), (b"\x1f\x8b", "gzip data"), (b"\xfd7zXZ\x00", "xz data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"), (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"), (b"OggS", "Ogg audio or video"),
    (b"\x1a\x45\xdf\xa3", "a Matroska or WebM video"), (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
MAX_CONTROL_SHARE = 0.1  # text has tabs and newlines; binary data has many other control bytes (NUL above all)
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


def binary_format(data: bytes) -> str:
    """What binary format the data is in, "" for text: a known signature, or more control characters than text has.

    A few stray NUL bytes in a page or feed do not make it binary (they are stripped before parsing).
    """
    for signature, what in BINARY_SIGNATURES:
        if data.startswith(signature):
            return what
    if data[4:8] == b"ftyp":
        return "an MP4 or QuickTime video"
    head = _head_text(data)
    controls = sum(1 for char in head if char < " " and char not in "\t\n\r\f\v")
    if (head and controls / len(head) > MAX_CONTROL_SHARE) or "\ufffd\ufffd\ufffd" in head[:64]:
        return "mostly control characters"
    return ""


def declares_entities(markup_head: str) -> bool:
    """An XML prolog (before the root element) declaring entities: what billion-laughs, quadratic
    blow-up and external-entity attacks all need, and no real feed does."""
    root = re.search(r"<[A-Za-z]", markup_head)
    prolog = markup_head[: root.start()] if root else markup_head
    return bool(ENTITY_DECLARATION.search(prolog))


def detect(data: bytes, *, name: str = "", content_type: str = "") -> Kind:
    """The kind of a document, from its content."""
    head = _head_text(data)
    if not head.strip():
        raise UnknownFormat("empty document")
    binary = binary_format(data)
    if binary:
        raise UnknownFormat(f"binary data ({binary}), not a text document")
    head = without_nul(head)
    if head.startswith("<"):
        if declares_entities(head):
            raise UnknownFormat(ENTITIES_REFUSED)
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


def without_nul_bytes(data: bytes) -> bytes:
    """Stray NUL bytes dropped before a parser sees them; UTF-16 and UTF-32 (told by their BOM) are made of them."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data
    return data.replace(b"\x00", b"")


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
