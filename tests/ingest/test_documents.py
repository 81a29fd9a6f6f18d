"""Inputs become clean documents: kinds told by content, the text format, pages, feed entries, JSON, URLs."""

import datetime as dt
from pathlib import Path

import pytest

from articles.ingest.documents import (
    blocks_from_html,
    document_from_blocks,
    parse_html,
    parse_plain_text,
    sanitize_html,
)
from articles.ingest.feeds import FeedError, parse_feed
from articles.ingest.formats import Kind, UnknownFormat, decode_text, detect
from articles.ingest.services import document_from_record
from articles.ingest.urls import UnsupportedURL, normalize_url
from articles.models import DatePrecision

DEMO = Path(__file__).resolve().parents[2] / "content" / "demo"
PAGES = Path(__file__).parent / "pages"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b'<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>', Kind.XML_FEED),
        (b"<rss version='0.91'><channel/></rss>", Kind.XML_FEED),
        (b'<?xml version="1.0"?><!-- hi --><rdf:RDF xmlns:rdf="x"/>', Kind.XML_FEED),
        (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"/>', Kind.XML_FEED),
        ('\ufeff<?xml version="1.0" encoding="utf-16"?><rss/>'.encode("utf-16"), Kind.XML_FEED),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', Kind.JSON_FEED),
        (b'{"title": "t", "body": "b"}', Kind.JSON),
        (b'[{"title": "t", "body": "b"}]', Kind.JSON),
        (b'{"title": "a", "body": "b"}\n{"title": "c", "body": "d"}\n', Kind.JSONL),
        (b"<!DOCTYPE html><html><body><p>x</p></body></html>", Kind.HTML),
        (b"<p>just a fragment</p>", Kind.HTML),
        (b"Title\nBy Someone | 2020-01-01\n\nBody.", Kind.TEXT),
    ],
)
def test_kind_is_told_by_content(data, kind):
    assert detect(data, name="whatever.txt") == kind


@pytest.mark.parametrize("data", [b"", b"   \n", b"\x89PNG\r\n\x1a\n\x00\x00", b"<svg xmlns='x'/>"])
def test_unknown_kinds_are_refused_with_a_reason(data):
    with pytest.raises(UnknownFormat):
        detect(data)


def test_demo_feeds_parse_in_every_format():
    counts = {path.parent.name: len(parse_feed(path.read_bytes()).entries) for path in DEMO.glob("*/feed.*")}
    assert counts == {
        "kabul-ledger": 10, "gulf-crescent-times": 9, "indus-evening-post": 8, "potomac-wire": 9,
        "hindukush-monitor": 9, "silkroad-courier": 9, "sherdarwaza-daily": 12, "darunta-news": 9, "arghandab-ghag": 3,
    }
    kabul = parse_feed((DEMO / "kabul-ledger" / "feed.xml").read_bytes())
    assert kabul.title == "The Kabul Ledger" and len(kabul.entries) == 10
    entry = kabul.entries[0]
    assert entry.byline == "Farid Noorzai"
    assert entry.published_at == dt.datetime(2022, 3, 24, 5, 10, tzinfo=dt.UTC)


def test_rss_091_with_its_netscape_doctype():
    rss091 = b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old Wire</title><link>https://old.example/</link><language>en</language>
<item><title>Envoys meet in Doha</title><link>https://old.example/1</link><description>They met.</description></item>
</channel></rss>"""
    feed = parse_feed(rss091)
    assert feed.title == "Old Wire"
    assert [(e.title, e.link, e.content_html) for e in feed.entries] == [("Envoys meet in Doha", "https://old.example/1", "They met.")]


def test_rss_author_email_and_name():
    feed = parse_feed((DEMO / "gulf-crescent-times" / "feed.xml").read_bytes())
    assert feed.entries[0].byline == "Layla Haddad"


def test_json_feed_that_is_not_one():
    with pytest.raises(FeedError, match="not a JSON Feed"):
        parse_feed(b'{"version": "2", "items": []}', kind=Kind.JSON)


def test_plain_text_header_format():
    document = parse_plain_text(
        "Qureshi meets Baradar in Islamabad\nBy Hamza Tariq | 2020-08-26\n\nISLAMABAD — Foreign Minister Shah Mahmood "
        "Qureshi met a Taliban delegation on Tuesday.\n\nThe talks lasted two hours.\n"
    )
    assert document.title == "Qureshi meets Baradar in Islamabad"
    assert document.byline == "Hamza Tariq"
    assert document.published_at == dt.datetime(2020, 8, 26, tzinfo=dt.UTC)
    assert document.published_precision == DatePrecision.DAY
    assert document.dateline == "Islamabad"
    assert document.body.startswith("ISLAMABAD — Foreign Minister")
    assert document.body_html == (
        "<p>ISLAMABAD — Foreign Minister Shah Mahmood Qureshi met a Taliban delegation on Tuesday.</p>\n"
        "<p>The talks lasted two hours.</p>"
    )


def test_plain_text_without_header_derives_its_title():
    document = parse_plain_text("KABUL – The envoy arrived on Monday. He met officials.\n\nMore text here.")
    assert document.title == "The envoy arrived on Monday"
    assert document.byline == "" and document.published_at is None


@pytest.mark.parametrize(
    "hostile",
    [
        '<script>alert(1)</script>', '<img src=x onerror="alert(1)">', '<a href="javascript:alert(1)">x</a>',
        '<iframe src="https://evil.example/"></iframe>', '<p style="background:url(x)">x</p>', '<svg onload="alert(1)">',
        '<style>body{}</style>', '<object data="x"></object>', '<form action="/x"><input name="a"></form>',
    ],
)
def test_sanitize_html_drops_anything_active(hostile):
    clean = sanitize_html(f"<p>ok</p>{hostile}")
    for needle in ("<script", "onerror", "javascript:", "<iframe", "style=", "onload", "<style", "<object", "<form", "<input"):
        assert needle not in clean
    assert clean.startswith("<p>ok</p>")


def test_links_kept_safe():
    assert sanitize_html('<p><a href="https://x.example/" target="_blank">x</a></p>') == (
        '<p><a href="https://x.example/" rel="noopener noreferrer nofollow">x</a></p>'
    )


def test_feed_html_becomes_blocks_without_boilerplate_or_scripts():
    blocks = blocks_from_html(
        "<p>First <b>bold</b> paragraph.</p><script>x()</script>loose text<br>more"
        "<div><ul><li>one</li><li>two</li></ul></div><p>Follow the Test Times on Twitter for more.</p>"
    )
    document = document_from_blocks(blocks, url="https://x.example/a", title="A title")
    assert document.body == "First bold paragraph.\n\nloose text\n\nmore\n\none\n\ntwo"
    assert document.body_html == "<p>First <b>bold</b> paragraph.</p>\n<p>loose text</p>\n<p>more</p>\n<ul><li>one</li><li>two</li></ul>"
    assert document.source_name == "Test Times"


def test_page_extraction_drops_the_clutter():
    page = (PAGES / "ledger_page_khalilzad.html").read_text().replace("{base}", "https://ledger.example")
    document = parse_html(page, url="https://ledger.example/x")
    assert document.title == "Khalilzad and Baradar meet in Doha as talks resume"
    assert document.url == "https://ledger.example/ledger/khalilzad-baradar-doha"  # the canonical link
    assert document.byline == "Test Reporter One"
    assert document.published_at == dt.datetime(2020, 2, 11, 5, 0, tzinfo=dt.UTC)
    assert document.source_name == "Kabul Test Ledger"
    assert document.body.startswith("DOHA — The US envoy Zalmay Khalilzad")
    assert document.body.endswith("keep their calendars free.")
    for clutter in ("cookies", "Advertisement", "Politics", "Comments", "Related stories", "All rights reserved", "tracker"):
        assert clutter not in document.body and clutter not in document.body_html


def test_page_without_text_is_an_error():
    with pytest.raises(ValueError, match="no article text"):
        parse_html("<html><body><nav><a href='/'>Home</a></nav></body></html>")


def test_json_record_format():
    document = document_from_record({
        "url": "https://x.example/a?utm_campaign=z", "title": "Envoy in Doha", "html": "<p>The envoy arrived.</p><script>x</script>",
        "published_at": "2020-02-29T14:00:00+03:00", "byline": "A. Writer", "source": "Record Times", "language": "en",
    })
    assert (document.title, document.byline, document.source_name, document.language) == ("Envoy in Doha", "A. Writer", "Record Times", "en")
    assert document.published_at == dt.datetime(2020, 2, 29, 11, 0, tzinfo=dt.UTC)
    assert document.body == "The envoy arrived." and document.body_html == "<p>The envoy arrived.</p>"


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"title": "no body"}, "body"),
        ({"title": "t", "body": "b", "url": "ftp://x"}, "url"),
        ({"title": "t", "body": "b", "published_at": "yesterday"}, "ISO 8601"),
        (["not", "an", "object"], "object"),
    ],
)
def test_json_record_errors_say_why(record, reason):
    with pytest.raises(ValueError, match=reason):
        document_from_record(record)


def test_decode_text_follows_bom_utf8_declared_then_detection():
    assert decode_text("naïve".encode("utf-16")) == "naïve"
    assert decode_text("naïve".encode()) == "naïve"
    assert decode_text("naïve café".encode("latin-1"), declared="iso-8859-1") == "naïve café"


@pytest.mark.parametrize(
    ("url", "normalized"),
    [
        ("HTTPS://News.Example.COM:443/World/Story/?utm_source=x&b=2&a=1#comments", "https://news.example.com/World/Story?a=1&b=2"),
        ("http://news.example.com:80", "http://news.example.com/"),
        ("https://news.example.com/a/./b/../c/", "https://news.example.com/a/c"),
        ("https://news.example.com/s?fbclid=1&gclid=2&id=7", "https://news.example.com/s?id=7"),
        ("  https://news.example.com/s  ", "https://news.example.com/s"),
    ],
)
def test_url_normalisation(url, normalized):
    assert normalize_url(url) == normalized


@pytest.mark.parametrize("url", ["mailto:a@b.example", "javascript:alert(1)", "news.example.com/a", "https:///nohost"])
def test_url_normalisation_refuses_non_web_urls(url):
    with pytest.raises(UnsupportedURL):
        normalize_url(url)
