"""Articles keep every version: a silent edit by the same outlet is kept as an earlier version, and an
item from another outlet naming a known URL is stored apart as a possible copy, never written over it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from articles.ingest import IngestReport, InProcess, path_ingest
from articles.ingest.services import copy_identifier
from articles.models import Article, ArticlePerson, ArticleVersion, CopyClaim, IngestItem, Person
from articles.tagging.editorial import tag_decide

pytestmark = pytest.mark.django_db

STORY = "https://kabul-ledger.example/2020/02/doha-round"
FIRST = (
    "DOHA — Zalmay Khalilzad and Abdul Ghani Baradar met in Doha on Tuesday to discuss a reduction in violence, "
    "officials said, in a meeting both sides called useful."
)
SECOND = FIRST + " The Taliban later said the talks would resume within ten days in the Qatari capital."


def feed_file(tmp_path: Path, *, outlet: str, title: str, body: str, link: str = STORY, name: str = "feed.xml") -> Path:
    """A local RSS file of one item: its text is used as it is and its link taken as the identity."""
    path = tmp_path / name
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{outlet}</title>'
        f"<link>https://{outlet.lower().replace(' ', '-')}.example/</link><item><title>{title}</title><link>{link}</link>"
        f"<pubDate>Tue, 11 Feb 2020 05:00:00 +0000</pubDate><description><![CDATA[<p>{body}</p>]]></description>"
        "</item></channel></rss>",
        encoding="utf-8",
    )
    return path


def test_a_silent_edit_keeps_the_earlier_text_as_a_version(tmp_path):
    path_ingest(feed_file(tmp_path, outlet="The Kabul Ledger", title="Khalilzad and Baradar meet in Doha", body=FIRST))
    first = Article.objects.get()
    fetched_first = first.fetched_at

    report = path_ingest(feed_file(tmp_path, outlet="The Kabul Ledger", title="Khalilzad and Baradar meet again", body=SECOND))

    assert report.counts["updated"] == 1
    article = Article.objects.get()
    assert (article.pk, article.title, article.body) == (first.pk, "Khalilzad and Baradar meet again", SECOND)
    [version] = ArticleVersion.objects.filter(article=article)
    assert (version.number, version.title, version.body) == (1, "Khalilzad and Baradar meet in Doha", FIRST)
    assert version.source == first.source and version.fetched_at == fetched_first
    assert version.content_hash == first.content_hash and version.superseded_at == article.fetched_at
    assert version.body_html == first.body_html

    again = path_ingest(feed_file(tmp_path, outlet="The Kabul Ledger", title="Khalilzad and Baradar meet again", body=SECOND))
    assert again.counts["unchanged"] == 1 and ArticleVersion.objects.count() == 1

    path_ingest(feed_file(tmp_path, outlet="The Kabul Ledger", title="Khalilzad and Baradar meet again", body=FIRST))
    assert list(ArticleVersion.objects.order_by("number").values_list("number", "body")) == [(1, FIRST), (2, SECOND)]


def test_an_item_from_another_outlet_never_rewrites_the_article_whose_url_it_names(tmp_path):
    """The issue's case: a local feed file's item linking to a stored article's URL."""
    path_ingest(feed_file(tmp_path, outlet="The Kabul Ledger", title="Khalilzad and Baradar meet in Doha", body=FIRST))
    original = Article.objects.get()
    stored = (original.title, original.body, original.body_html, original.source_id, original.content_hash)

    hostile = feed_file(tmp_path, outlet="Hostile Wire", title="FAKE: Baradar walks out of Doha talks",
                        body="FAKE: the talks collapsed and the envoy flew home, Hostile Wire claims in this item.",
                        name="hostile.xml")
    report = path_ingest(hostile)

    assert report.counts["copy"] == 1 and report.counts["updated"] == 0
    original.refresh_from_db()
    assert (original.title, original.body, original.body_html, original.source_id, original.content_hash) == stored
    assert not ArticleVersion.objects.exists()
    copy = Article.objects.exclude(pk=original.pk).get()
    assert copy.url == copy_identifier(STORY, copy.source_id) and copy.url.startswith("urn:newsroom:copy:")
    assert copy.title == "FAKE: Baradar walks out of Doha talks" and copy.source.name == "Hostile Wire"
    claim = CopyClaim.objects.get()
    assert (claim.article, claim.original, claim.claimed_url, claim.review) == (copy, original, STORY, "pending")

    assert path_ingest(hostile).counts["unchanged"] == 1  # the same item again finds its own row
    path_ingest(feed_file(tmp_path, outlet="Hostile Wire", title="FAKE: Baradar walks out of Doha talks",
                          body="FAKE: a second story, edited by Hostile Wire, about walking out of the talks.",
                          name="hostile.xml"))
    assert Article.objects.count() == 2 and CopyClaim.objects.count() == 1
    assert ArticleVersion.objects.get().article == copy  # the copy's own history; the original stays as it was
    original.refresh_from_db()
    assert original.title == stored[0] and original.body == stored[1]


def test_a_claim_an_editor_decided_is_not_reopened_by_a_new_text(tmp_path, editor_client, editor):
    path_ingest(feed_file(tmp_path, outlet="The Kabul Ledger", title="Khalilzad and Baradar meet in Doha", body=FIRST))
    path_ingest(feed_file(tmp_path, outlet="Gulf Crescent Times", title="Envoys meet in Doha", body=SECOND, name="gulf.xml"))
    claim = CopyClaim.objects.get()

    response = editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "confirm_copies", "_selected_action": [claim.article_id, claim.original_id]},
    )

    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.review, claim.reviewed_by) == ("confirmed", editor) and claim.reviewed_at is not None
    path_ingest(feed_file(tmp_path, outlet="Gulf Crescent Times", title="Envoys meet in Doha again", body=FIRST, name="gulf.xml"))
    claim.refresh_from_db()
    assert claim.review == "confirmed"

    editor_client.post(reverse("admin:articles_copyclaim_changelist"),
                       {"action": "reject_copies", "_selected_action": [claim.pk]})
    claim.refresh_from_db()
    assert claim.review == "rejected"


def page_of(title: str, body: str, *, site: str = "The Kabul Ledger") -> str:
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        f"<meta property='og:site_name' content='{site}'></head><body><article><h1>{title}</h1>"
        f"<p>{body}</p><p>{body.replace('Doha', 'the Qatari capital')}</p></article></body></html>"
    )


def test_a_remote_refetch_makes_a_version_only_when_the_text_changed(web, fast_policy):
    web.add("/story", page_of("Khalilzad and Baradar meet in Doha", FIRST))
    url = web.url("/story")
    InProcess(IngestReport(), policy=fast_policy).url_ingest(url)
    article = Article.objects.get()

    unchanged = IngestReport()
    InProcess(unchanged, policy=fast_policy).url_ingest(url)
    assert unchanged.counts["unchanged"] == 1 and not ArticleVersion.objects.exists()

    # Edited, and the site now calls itself something else: the page still speaks for its own URL.
    web.add("/story", page_of("Khalilzad and Baradar meet in Doha", SECOND, site="Kabul Ledger Online"))
    edited = IngestReport()
    InProcess(edited, policy=fast_policy).url_ingest(url)

    assert edited.counts["updated"] == 1 and not CopyClaim.objects.exists()
    article.refresh_from_db()
    assert "ten days" in article.body and article.source.name == "The Kabul Ledger"
    assert "ten days" not in ArticleVersion.objects.get(article=article).body


def test_fetch_and_process_again_in_admin_refetches_a_done_item(web, editor_client):
    web.add("/feed.xml", (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>The Kabul Ledger</title><link>http://127.0.0.1/</link>'
        f"<item><title>Khalilzad and Baradar meet in Doha</title><link>{web.url('/story')}</link><guid>s1</guid>"
        "</item></channel></rss>"
    ), content_type="application/rss+xml")
    web.add("/story", page_of("Khalilzad and Baradar meet in Doha", FIRST))
    InProcess(IngestReport()).url_ingest(web.url("/feed.xml"))
    item = IngestItem.objects.get()
    assert item.status == "done"
    web.add("/story", page_of("Khalilzad and Baradar meet in Doha", SECOND))

    response = editor_client.post(reverse("admin:articles_ingestitem_changelist"),
                                  {"action": "retry", "_selected_action": [item.pk]})

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "done"
    assert "ten days" in Article.objects.get().body
    assert ArticleVersion.objects.get().body.startswith(FIRST)


def test_retagging_after_an_update_keeps_the_editors_decisions(tmp_path):
    path_ingest(feed_file(tmp_path, outlet="The Kabul Ledger", title="Khalilzad and Baradar meet in Doha", body=FIRST))
    article = Article.objects.get()
    khalilzad, blinken = Person.objects.get(slug="zalmay-khalilzad"), Person.objects.get(slug="antony-blinken")
    tag_decide(article=article, entity=khalilzad, rejected=True)
    tag_decide(article=article, entity=blinken, rejected=False)

    path_ingest(feed_file(tmp_path, outlet="The Kabul Ledger", title="Khalilzad and Baradar meet again", body=SECOND))

    links = {link.person.slug: link for link in ArticlePerson.objects.filter(article=article).select_related("person")}
    assert links["zalmay-khalilzad"].rejected and links["zalmay-khalilzad"].decided_by == "editor"
    assert not links["antony-blinken"].rejected and links["antony-blinken"].decided_by == "editor"
    assert "abdul-ghani-baradar" in links  # the tagger ran on the new text
    assert ArticleVersion.objects.filter(article=article).count() == 1
