"""Turning text, pages and feed entries into a clean `ParsedDocument`, the one shape every input ends in.

A document has a plain-text body (for tagging and search) and the same body as sanitized HTML
(for reading); both come from one list of blocks, so they always say the same thing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import html
import re
from dataclasses import dataclass, field

import nh3
import py3langid
import trafilatura
from lxml import etree
from lxml import html as lxml_html
from trafilatura.htmlprocessing import convert_to_html

from articles.models import DatePrecision
from articles.text.hygiene import visible
from articles.text.language import arabic_script_language
from articles.text.normalize import fold

from .formats import without_nul, without_nul_bytes

TITLE_MAX = 150
MIN_PAGE_WORDS = 15  # fewer is a navigation stub or an error page, not an article

# "ISLAMABAD –", "KABUL, March 8 (Reuters) -": an upper-case place opening the text.
DATELINE = re.compile(r"^\s*(?P<place>[A-Z][A-Z .'-]{2,40}?)(?:,[^–—\-\n]{0,40})?\s*[–—-]{1,2}\s+")

# Trailing outlet boilerplate: "Follow the PNI Facebook page for the latest news and updates."
OUTLET_BOILERPLATE = re.compile(
    r"^\s*(?:follow|like|join)\s+(?:the\s+|us\s+on\s+)?(?P<outlet>[A-Z][\w&.' -]{0,60}?)\s+"
    r"(?:on\s+)?(?:facebook|twitter|x|instagram|telegram|whatsapp|youtube)\b[^\n]*$",
    re.IGNORECASE,
)
GENERIC_BOILERPLATE = re.compile(
    r"^\s*(?:(?:click|tap) here\b|subscribe\b|sign up\b|share this\b|read more\b|also read\b|"
    r"download our app\b|all rights reserved\b|copyright\b|©)[^\n]*$",
    re.IGNORECASE,
)

# The documented plain-text format: a title line, then "By <byline> | <YYYY-MM-DD>" (either part
# may be left out), then the body.
TEXT_HEADER = re.compile(
    r"\A\s*(?P<title>[^\n]{3,300}?)\s*\n"
    r"(?:By\s+(?P<byline>[^|\n]{1,200}?)\s*(?:\|\s*(?P<date>\d{4}-\d{2}-\d{2}))?|(?P<only_date>\d{4}-\d{2}-\d{2}))"
    r"[ \t]*\n",
)

# A byline's own "By" ("By Jane Doe", "BY: Jane Doe"): the pages write "By" before every byline.
BYLINE_PREFIX = re.compile(r"^\s*by\b[\s:]*", re.IGNORECASE)

# What a stored body may contain: structure and emphasis, links without scripts, no media.
ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "code", "em", "strong",
    "b", "i", "u", "sub", "sup", "q", "cite", "abbr", "dl", "dt", "dd", "hr",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "figure", "figcaption", "a",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"}}
BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "blockquote", "pre", "table", "figure", "hr"}
CONTAINER_TAGS = {"div", "section", "article", "main", "body", "html", "span", "font", "center"}
DROPPED_TAGS = {
    "script", "style", "nav", "aside", "footer", "header", "form", "iframe", "noscript", "button", "template",
    "svg", "object", "embed", "video", "audio", "img", "picture", "head", "title", "meta", "link",
}


@dataclass
class ParsedDocument:
    url: str
    title: str
    body: str
    body_html: str = ""
    byline: str = ""
    dateline: str = ""
    published_at: dt.datetime | None = None
    published_precision: str = DatePrecision.EXACT
    language: str = ""
    source_name: str = ""
    source_homepage: str = ""
    source_id: int | None = None
    note: str = ""
    warnings: list[str] = field(default_factory=list)
    # The text was read from the page at `url` itself, not carried by a feed or a file that only
    # names the address: it speaks for that address whatever outlet it names (see article_upsert).
    fetched_from_url: bool = False

    @property
    def content_hash(self) -> str:
        return content_hash(self.body)

    @property
    def word_count(self) -> int:
        return len(self.body.split())


@dataclass
class Block:
    """One block of an article (a paragraph, heading, list, quote or table), as text and as HTML."""

    text: str
    html: str


def content_hash(body: str) -> str:
    """Hash of the body's words, blind to case, accents, quotes and spacing."""
    words = re.findall(r"\w+", fold(body))
    return hashlib.sha256(" ".join(words).encode()).hexdigest()


def text_identifier(body: str) -> str:
    """A stable URL-like identifier for a text that has no URL (a file import)."""
    return f"urn:newsroom:text:{content_hash(body)[:32]}"


def sanitize_html(fragment: str) -> str:
    """HTML we can show: nh3 keeps structure and safe links, drops scripts, styles, events and media."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def html_to_text(fragment: str) -> str:
    """The text of a short HTML snippet (a title or byline), entities decoded, invisible characters gone, spaces collapsed."""
    text = html.unescape(nh3.clean(fragment, tags=set()))
    return " ".join(visible(text, one_line=True).split())


def clean_byline(byline: str) -> str:
    return BYLINE_PREFIX.sub("", byline).strip()


def visible_body(body: str) -> str:
    """A body without invisible characters (articles.text.hygiene), and without a paragraph that had only those."""
    cleaned = visible(body)
    return body if cleaned == body else clean_text(cleaned)


def document_visible(document: ParsedDocument) -> ParsedDocument:
    """The document as it may be stored: no invisible character in anything a reader sees, and
    no "By" of the byline's own."""
    return dataclasses.replace(
        document,
        title=visible(document.title, one_line=True).strip(),
        byline=clean_byline(visible(document.byline, one_line=True)),
        dateline=visible(document.dateline, one_line=True).strip(),
        source_name=visible(document.source_name, one_line=True).strip(),
        body=visible_body(document.body),
        body_html=visible(document.body_html),
    )


def mend_paragraph(line: str) -> str:
    """Single spaces, and a few common typing slips mended."""
    line = re.sub(r"[ \t\u00a0]+", " ", line).strip()
    line = re.sub(r"(?<=[.!?”\"])\s*=(?=[A-Z])", " ", line)  # a stray '=' before a sentence
    line = re.sub(r"^=(?=[A-Z])", "", line)
    return re.sub(r"(?<![.])\.\.(?![.])", ".", line)  # a doubled full stop, not an ellipsis


def clean_text(text: str) -> str:
    """Paragraphs of single-spaced text, with a few common typing slips mended."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    paragraphs = (mend_paragraph(raw) for raw in re.split(r"\n\s*\n|\n", text))
    return "\n\n".join(p for p in paragraphs if p)


def trailing_boilerplate(paragraphs: list[str]) -> tuple[int, str]:
    """How many paragraphs at the end are outlet boilerplate, and the outlet they name."""
    count, outlet = 0, ""
    for paragraph in reversed(paragraphs):
        match = OUTLET_BOILERPLATE.match(paragraph)
        if match:
            outlet = outlet or match.group("outlet").strip()
        elif not GENERIC_BOILERPLATE.match(paragraph):
            break
        count += 1
    return count, outlet


def strip_boilerplate(body: str) -> tuple[str, str]:
    """Drop outlet boilerplate lines at the end; return (body, outlet named by the boilerplate)."""
    paragraphs = body.split("\n\n")
    count, outlet = trailing_boilerplate(paragraphs)
    return "\n\n".join(paragraphs[: len(paragraphs) - count]), outlet


def find_dateline(body: str) -> str:
    match = DATELINE.match(body)
    if not match:
        return ""
    place = match.group("place").strip(" -'")
    return place.title() if len(place) >= 3 else ""


def derive_title(body: str, dateline: str = "") -> str:
    """A title from the first sentence, without the dateline, cut at a word if long."""
    text = DATELINE.sub("", body, count=1) if dateline else body
    first_paragraph = text.split("\n\n", 1)[0].strip()
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"'])", first_paragraph, maxsplit=1)[0].strip()
    sentence = sentence.rstrip(".")
    if len(sentence) <= TITLE_MAX:
        return sentence
    cut = sentence[:TITLE_MAX].rsplit(" ", 1)[0].rstrip(",;:–- ")
    return cut + "…"


def detect_language(text: str) -> str:
    """An ISO 639-1 code, or '' for a text too short to tell; the Arabic-script languages by their
    letters (articles.text.language), the others by py3langid."""
    if len(text.strip()) < 20:
        return ""
    sample = text[:600]  # a few sentences tell the language
    return arabic_script_language(sample) or py3langid.classify(sample)[0]


def parse_date(value: str) -> tuple[dt.datetime | None, str]:
    """An ISO 8601 date or date-time; a bare date is a day (at 00:00 UTC), a naive time is UTC."""
    value = (value or "").strip()
    if not value:
        return None, DatePrecision.EXACT
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC), DatePrecision.DAY
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None, DatePrecision.EXACT
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed, DatePrecision.EXACT


# Blocks -------------------------------------------------------------------------------------------


def _text_of(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _block_text(element: etree._Element) -> str:
    if element.tag in ("ul", "ol", "dl"):
        items = [_text_of(item) for item in element if isinstance(item.tag, str)]
        return "\n\n".join(item for item in items if item)
    return _text_of(element)


def _collect_blocks(element: etree._Element, blocks: list[Block], loose: list[str]) -> None:
    """Walk a tree: block elements become blocks, containers are entered, inline runs become paragraphs."""

    def flush() -> None:
        fragment = "".join(loose).strip()
        loose.clear()
        if fragment:
            text = " ".join(html_to_text(fragment).split())
            if text:
                blocks.append(Block(text=text, html=f"<p>{fragment}</p>"))

    if element.text and element.text.strip():
        loose.append(html.escape(element.text))
    for child in element:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag in DROPPED_TAGS or not tag:
            pass
        elif tag in BLOCK_TAGS:
            flush()
            text = _block_text(child)
            if text:
                child.tail, tail = None, child.tail
                blocks.append(Block(text=text, html=etree.tostring(child, encoding="unicode", method="html")))
                child.tail = tail
        elif tag in CONTAINER_TAGS and any(isinstance(c.tag, str) and c.tag.lower() in BLOCK_TAGS | CONTAINER_TAGS for c in child):
            flush()
            _collect_blocks(child, blocks, loose)
            flush()
        elif tag == "br":
            flush()
        else:
            child.tail, tail = None, child.tail
            loose.append(etree.tostring(child, encoding="unicode", method="html"))
            child.tail = tail
        if child.tail and child.tail.strip():
            loose.append(html.escape(child.tail))
    flush()


def blocks_from_html(fragment: str) -> list[Block]:
    """The blocks of an HTML fragment (a feed entry's content)."""
    if not fragment.strip():
        return []
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return [Block(text=line, html=f"<p>{html.escape(line)}</p>") for line in clean_text(html_to_text(fragment)).split("\n\n") if line]
    etree.strip_elements(root, *DROPPED_TAGS, with_tail=False)
    etree.strip_tags(root, etree.Comment, etree.ProcessingInstruction)
    blocks: list[Block] = []
    _collect_blocks(root, blocks, [])
    return blocks


def document_from_blocks(
    blocks: list[Block], *, url: str, title: str = "", **metadata
) -> ParsedDocument:
    """Clean blocks into a document: a leading kicker and repeated title go, and so does trailing boilerplate."""
    blocks = [Block(text=mend_paragraph(b.text) if "\n\n" not in b.text else clean_text(b.text), html=b.html) for b in blocks]
    blocks = [b for b in blocks if b.text]
    if title:
        folded_title = " ".join(fold(title).split())
        for index, block in enumerate(blocks[:4]):
            if " ".join(fold(block.text).split()) == folded_title:
                blocks = blocks[index + 1:] if all(len(b.text.split()) <= 6 for b in blocks[:index]) else blocks
                break
    count, outlet = trailing_boilerplate([b.text for b in blocks])
    blocks = blocks[: len(blocks) - count]
    body = "\n\n".join(b.text for b in blocks)
    dateline = find_dateline(body)
    document = ParsedDocument(
        url=url or text_identifier(body),
        title=title.strip()[:1000] or derive_title(body, dateline),
        body=body,
        body_html=sanitize_html("\n".join(b.html for b in blocks)),
        dateline=dateline,
        **metadata,
    )
    document.source_name = document.source_name or outlet
    return document


# Inputs --------------------------------------------------------------------------------------------


def parse_plain_text(text: str, *, url: str = "", title: str = "") -> ParsedDocument:
    """A plain-text article: the optional title/byline/date header, dateline, boilerplate, language."""
    byline, published_at, precision = "", None, DatePrecision.EXACT
    header = TEXT_HEADER.match(text)
    if header and not title:
        title = header.group("title")
        byline = (header.group("byline") or "").strip()
        published_at, precision = parse_date(header.group("date") or header.group("only_date") or "")
        text = text[header.end():]
    body, outlet = strip_boilerplate(clean_text(text))
    dateline = find_dateline(body)
    return ParsedDocument(
        url=url or text_identifier(body),
        title=title.strip() or derive_title(body, dateline),
        body=body,
        body_html="\n".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n\n") if p),
        byline=byline[:500],
        dateline=dateline,
        published_at=published_at,
        published_precision=precision,
        language=detect_language(body),
        source_name=outlet,
    )


def _page_date(value: str | None) -> tuple[dt.datetime | None, str]:
    """trafilatura's date: a time with an offset is exact, a bare day is a day."""
    if not value:
        return None, DatePrecision.EXACT
    if len(value) > 10 and value[10:].strip("T0:") == "":
        value = value[:10]
    if re.search(r"[+-]\d{4}$", value):
        value = value[:-2] + ":" + value[-2:]
    return parse_date(value)


# What trafilatura is asked for (bench/throughput.py's floor asks the same).
EXTRACTION = {
    "with_metadata": True,
    "include_comments": False,
    "include_formatting": True,
    "include_images": False,
    "include_links": False,
    "favor_precision": True,
    "date_extraction_params": {"outputformat": "%Y-%m-%dT%H:%M:%S%z", "original_date": True},
}


def parse_html(page: str | bytes, *, url: str = "") -> ParsedDocument:
    """The main text and metadata of an article page, by trafilatura; outlet clutter dropped."""
    page = without_nul_bytes(page) if isinstance(page, bytes) else without_nul(page)  # lxml refuses NULs
    extracted = trafilatura.bare_extraction(page, url=url or None, **EXTRACTION)
    if extracted is None or extracted.body is None or not (extracted.text or "").strip():
        raise ValueError("no article text found in the page")
    tree = convert_to_html(extracted.body)
    blocks: list[Block] = []
    _collect_blocks(tree, blocks, [])
    published_at, precision = _page_date(extracted.date)
    document = document_from_blocks(
        blocks,
        url=(extracted.url or url or "").strip(),
        title=html_to_text(extracted.title or ""),
        byline=html_to_text(extracted.author or "")[:500],
        published_at=published_at,
        published_precision=precision,
        language=extracted.language or "",
        source_name=(extracted.sitename or "").strip(),
    )
    if document.word_count < MIN_PAGE_WORDS:
        raise ValueError(f"no article text found in the page (only {document.word_count} words)")
    return document
