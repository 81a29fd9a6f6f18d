"""Turning raw text and HTML into a clean `ParsedDocument`, the one shape every input ends in."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

import py3langid
import trafilatura

from articles.models import DatePrecision
from articles.tagging.normalize import fold

TITLE_MAX = 150

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


@dataclass
class ParsedDocument:
    url: str
    title: str
    body: str
    byline: str = ""
    dateline: str = ""
    published_at: dt.datetime | None = None
    published_precision: str = DatePrecision.EXACT
    language: str = ""
    source_name: str = ""
    source_homepage: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        return content_hash(self.body)


def content_hash(body: str) -> str:
    """Hash of the body's words, blind to case, accents, quotes and spacing."""
    words = re.findall(r"\w+", fold(body))
    return hashlib.sha256(" ".join(words).encode()).hexdigest()


def text_identifier(body: str) -> str:
    """A stable URL-like identifier for a text that has no URL (a file import)."""
    return f"urn:newsroom:text:{content_hash(body)[:32]}"


def clean_text(text: str) -> str:
    """Paragraphs of single-spaced text, with a few common typing slips mended."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    paragraphs = []
    for raw in re.split(r"\n\s*\n|\n", text):
        line = re.sub(r"[ \t\u00a0]+", " ", raw).strip()
        if not line:
            continue
        line = re.sub(r"(?<=[.!?”\"])\s*=(?=[A-Z])", " ", line)  # a stray '=' before a sentence
        line = re.sub(r"^=(?=[A-Z])", "", line)
        line = re.sub(r"(?<![.])\.\.(?![.])", ".", line)  # a doubled full stop, not an ellipsis
        paragraphs.append(line)
    return "\n\n".join(paragraphs)


def strip_boilerplate(body: str) -> tuple[str, str]:
    """Drop outlet boilerplate lines at the end; return (body, outlet named by the boilerplate)."""
    paragraphs = body.split("\n\n")
    outlet = ""
    while paragraphs:
        last = paragraphs[-1]
        match = OUTLET_BOILERPLATE.match(last)
        if match:
            outlet = outlet or match.group("outlet").strip()
        elif not GENERIC_BOILERPLATE.match(last):
            break
        paragraphs.pop()
    return "\n\n".join(paragraphs), outlet


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
    if len(text.strip()) < 20:
        return ""
    language, _score = py3langid.classify(text[:2000])
    return language


def parse_plain_text(text: str, *, url: str = "", title: str = "") -> ParsedDocument:
    """A plain-text article: dateline, boilerplate, derived title and language."""
    body, outlet = strip_boilerplate(clean_text(text))
    dateline = find_dateline(body)
    return ParsedDocument(
        url=url or text_identifier(body),
        title=title.strip() or derive_title(body, dateline),
        body=body,
        dateline=dateline,
        language=detect_language(body),
        source_name=outlet,
    )


def parse_html(html: str | bytes, *, url: str = "") -> ParsedDocument:
    """The main text and metadata of an article page, by trafilatura; outlet clutter dropped."""
    extracted = trafilatura.bare_extraction(
        html, url=url or None, with_metadata=True, include_comments=False, favor_precision=True
    )
    if extracted is None or not (extracted.text or "").strip():
        raise ValueError("no article text found in the page")
    text = extracted.text
    title = (extracted.title or "").strip()
    if title and text.startswith(title):
        text = text[len(title):]
    body, outlet = strip_boilerplate(clean_text(text))
    published_at, precision = None, DatePrecision.EXACT
    if extracted.date:
        day = dt.date.fromisoformat(extracted.date[:10])
        published_at = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
        precision = DatePrecision.DAY
    dateline = find_dateline(body)
    canonical = (extracted.url or url or "").strip()
    return ParsedDocument(
        url=canonical or text_identifier(body),
        title=title or derive_title(body, dateline),
        body=body,
        byline=(extracted.author or "").strip()[:500],
        dateline=dateline,
        published_at=published_at,
        published_precision=precision,
        language=(extracted.language or "") or detect_language(body),
        source_name=(extracted.sitename or "").strip() or outlet,
    )
