"""Hostile feeds and pages: each ends in a recorded error or a clean article; nothing crashes, hangs or half-writes."""

import dataclasses
import datetime as dt
import gzip
import time

import pytest

from articles.ingest import IngestReport, InProcess, ParsedDocument, article_upsert
from articles.ingest.fetch import FetchPolicy
from articles.models import Article, Feed, FeedFetch, IngestItem, ItemStatus

pytestmark = pytest.mark.django_db

BODY = (
    "<p>KABUL — Afghan and Taliban negotiators met in Doha on {day} to discuss a ceasefire, officials said, "
    "in a meeting that both sides described as useful but difficult.</p>"
    "<p>The talks covered the release of prisoners, the reduction in violence and the agenda of the next round, "
    "and the negotiators agreed to meet again within {gap} days.</p>"
)

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>http://127.0.0.1/x</link><description>&lol9;</description></item>
</channel></rss>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>Secrets</title>
<item><title>&secret;</title><link>http://127.0.0.1/y</link><description>&secret;</description></item>
</channel></rss>"""


def rss(items: str, title: str = "Hostile Test Feed") -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{title}</title><link>http://127.0.0.1/</link>{items}</channel></rss>'


def item(title: str, link: str, day: str, gap: int = 3) -> str:
    return (
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>{day} Mar 2020 10:00:00 +0000</pubDate>"
        f"<description><![CDATA[{BODY.format(day=day + ' March', gap=gap)}]]></description></item>"
    )


def run(web, path: str, policy: FetchPolicy) -> IngestReport:
    report = IngestReport()
    InProcess(report, policy=policy).url_ingest(web.url(path))
    return report


def assert_nothing_half_written() -> None:
    assert not IngestItem.objects.exclude(status__in=[ItemStatus.DONE, ItemStatus.FAILED]).exists()
    assert not Article.objects.filter(body="").exists()
    assert not Article.objects.filter(title="").exists()
    assert not IngestItem.objects.exclude(page_html="").exists()


@pytest.mark.parametrize("bomb", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"])
def test_entity_declarations_are_refused_with_a_recorded_error(web, fast_policy, bomb):
    web.add("/bomb.xml", bomb, content_type="application/rss+xml")
    started = time.monotonic()

    report = run(web, "/bomb.xml", fast_policy)

    assert time.monotonic() - started < 10  # a hang guard, not a benchmark
    assert [reason for _where, reason in report.failures] == ["the XML declares entities, which Newsroom refuses to expand"]
    failed = IngestItem.objects.get(status=ItemStatus.FAILED)
    assert "entities" in failed.error
    assert Article.objects.count() == 0
    assert_nothing_half_written()


def test_hostile_pages_behind_feed_entries_fall_back_to_the_feed_text(web, guarded_policy):
    """A 404, a redirect to a private address, a page over the cap, a slow answer, a dripping body, a gzip bomb."""
    guarded = dataclasses.replace(guarded_policy, read_timeout=1, total_timeout=3, max_bytes=200_000)
    web.add("/redirect-private", b"", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    web.add("/huge", b"<html><body>" + b"<p>filler text</p>" * 20_000 + b"</body></html>")
    web.add("/slow", b"<html><body><p>late</p></body></html>", delay=3)
    web.add("/drip", b"<html><body>" + b"<p>drip drip drip</p>" * 400 + b"</body></html>", drip=0.3)
    web.add("/bomb.gz", gzip.compress(b"<html><body>" + b"a" * 5_000_000 + b"</body></html>"), headers={"Content-Encoding": "gzip"})
    cases = {
        "/missing": "HTTP 404",
        "/redirect-private": "link-local",
        "/huge": "cap",
        "/slow": "did not answer in time",
        "/drip": "not received within",
        "/bomb.gz": "cap",
    }
    entries = "".join(item(f"Talks in Doha, day {i}", web.url(path), f"{i + 1:02d}", gap=i + 2) for i, path in enumerate(cases))
    web.add("/hostile.xml", rss(entries), content_type="application/rss+xml")
    started = time.monotonic()

    report = run(web, "/hostile.xml", guarded)

    assert time.monotonic() - started < 60  # a hang guard: six pages, each bounded by the policy's timeouts
    assert report.failures == []
    assert report.counts["created"] + report.counts["duplicate"] == len(cases)
    for i, reason in enumerate(cases.values()):
        article = Article.objects.get(title=f"Talks in Doha, day {i}")
        assert reason in article.ingest_note, (article.title, article.ingest_note)
        assert article.body.startswith("KABUL — Afghan and Taliban negotiators")
    assert_nothing_half_written()


def test_broken_xml_is_read_leniently_and_the_problem_recorded(web, fast_policy):
    broken = rss(
        item("Doha talks & a stray ampersand", web.url("/a"), "05")
        + "<item><title>Unclosed <b>markup</title><link>" + web.url("/b") + "</link>"
        + f"<description><![CDATA[{BODY.format(day='6 March', gap=9)}]]></description></item>"
    ).replace("</channel></rss>", "</channel>")  # and no closing root element
    web.add("/broken.xml", broken, content_type="application/rss+xml")

    report = run(web, "/broken.xml", fast_policy)

    fetch = FeedFetch.objects.get()
    assert fetch.status == FeedFetch.Status.OK
    assert "not well-formed" in fetch.error
    assert report.failures == []
    assert Article.objects.filter(title="Doha talks & a stray ampersand").exists()
    assert_nothing_half_written()


def test_garbage_that_is_no_feed_is_a_recorded_error(web, fast_policy):
    web.add("/garbage.xml", "<rss><channel><item><title>never closed", content_type="application/rss+xml")
    web.add("/binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", content_type="image/png")

    garbage = run(web, "/garbage.xml", fast_policy)
    binary = run(web, "/binary", fast_policy)

    assert garbage.failures and binary.failures
    assert "binary" in binary.failures[0][1]
    assert Article.objects.count() == 0
    assert_nothing_half_written()


def test_wrong_encodings_come_out_as_the_right_characters(web, fast_policy):
    # Windows-1252 bytes under an XML declaration that claims UTF-8.
    lying_feed = rss(item("Peace envoy’s visit to Doha — day one", web.url("/gone"), "07")).encode("cp1252")
    web.add("/lying.xml", lying_feed, content_type="application/rss+xml")
    # A Latin-1 page that says so only in its HTTP header.
    page = (
        "<html><head><title>Café talks in Doha</title><meta property='og:site_name' content='Encoding Test Daily'></head>"
        "<body><article><h1>Café talks in Doha</h1>"
        "<p>DOHA - Négociateurs from both sides met at a café in Doha on Friday and agreed to keep talking about "
        "a ceasefire in Afghanistan, officials said after a long day of meetings in the Qatari capital.</p>"
        "<p>The delegations will meet again next week, according to a statement read out by the Qatari hosts.</p>"
        "</article></body></html>"
    ).encode("latin-1")
    web.add("/latin1", page, content_type="text/html; charset=iso-8859-1")

    feed_report = run(web, "/lying.xml", fast_policy)
    page_report = run(web, "/latin1", fast_policy)

    assert feed_report.failures == [] and page_report.failures == []
    assert Article.objects.filter(title="Peace envoy’s visit to Doha — day one").exists()
    cafe = Article.objects.get(title="Café talks in Doha")
    assert "Négociateurs" in cafe.body and "café" in cafe.body
    assert_nothing_half_written()


def test_a_failing_feed_backs_off_and_stays_active(web, fast_policy):
    web.add("/down.xml", "upstream error", status=503)
    report = run(web, "/down.xml", fast_policy)

    assert report.failures and "HTTP 503" in report.failures[0][1]
    assert not Feed.objects.exists()  # an unreadable URL is not registered as a feed
    assert IngestItem.objects.get().error == "HTTP 503"


@pytest.mark.parametrize(
    ("published", "kept"),
    [
        (dt.datetime(1, 1, 1, tzinfo=dt.UTC), False),
        (dt.datetime(1899, 12, 31, tzinfo=dt.UTC), False),
        (dt.datetime(1900, 1, 1, tzinfo=dt.UTC), True),
        (dt.datetime(2021, 8, 15, tzinfo=dt.UTC), True),
        (dt.datetime(9999, 12, 31, tzinfo=dt.UTC), False),
    ],
)
def test_an_implausible_publication_date_is_left_out_with_a_note(client, published, kept):
    """A date the pages would compute with (a window a month around it) must be one that can be true."""
    article, _ = article_upsert(document=ParsedDocument(
        url="https://news.example/dated", title="Dated story", published_at=published,
        body="KABUL — Afghan and Taliban negotiators met in Doha to discuss a ceasefire, officials said.",
    ))
    assert (article.published_at == published) is kept and (article.published_at is None) is not kept
    assert ("left out as implausible" in article.ingest_note) is not kept
    assert client.get(article.get_absolute_url()).status_code == 200
