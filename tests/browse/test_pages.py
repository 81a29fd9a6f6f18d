"""Home, article, entity and event pages: what each shows, and queries that do not grow with the data."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.ingest import ParsedDocument, article_upsert
from articles.models import Article, DatePrecision, Event, EventParticipant, Person, PersonRole, PublishedBasis, Source
from articles.tagging import article_tag

pytestmark = pytest.mark.django_db


def _more_articles(n: int, start: int = 100) -> None:
    for i in range(start, start + n):
        document = ParsedDocument(
            url=f"https://example.org/more/{i}", source_name=f"Outlet {i % 5}",
            title=f"Khalilzad and Bajwa discuss the Doha agreement, round {i}",
            body=f"ISLAMABAD – Zalmay Khalilzad met Qamar Javed Bajwa and Abdul Ghani Baradar in Islamabad on the "
                 f"Doha agreement and a reduction in violence with the Taliban (round {i}).",
            published_at=dt.datetime(2021, 3, 1 + i % 28, tzinfo=dt.UTC),
        )
        article, _ = article_upsert(document=document)
        article_tag(article=article)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_home_shows_stories_once_with_also_in_trends_and_events(client, corpus):
    response = client.get(reverse("articles:home"))
    html = response.content.decode()
    stories = [story.title for story in response.context["stories"]]
    assert corpus.articles["talks"].title in stories
    assert corpus.articles["talks-copy"].title not in stories  # a copy appears as 'also in'
    assert "Also in" in html and "Gulf Crescent Times" in html
    assert "Cricket final goes to a super over" not in stories
    people = {trend.slug: trend for trend in response.context["people"]}
    # The week to the newest relevant article (15 August 2021) against the week before.
    assert response.context["week_end"].date() == dt.date(2021, 8, 15)
    assert people["zalmay-khalilzad"].count == 1 and people["zalmay-khalilzad"].before == 0
    assert response.context["events"], "recent events from the timeline"


def test_article_page_highlights_mentions_and_links_them(client, corpus):
    article = corpus.articles["talks"]
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert '<a class="mention person" href="/people/zalmay-khalilzad/" title="Zalmay Khalilzad">Zalmay Khalilzad</a>' in html
    assert 'class="mention place" href="/places/doha/"' in html
    assert 'href="/topics/doha-agreement/"' in html
    assert html.count("<p>", html.index('class="body"')) >= 2  # paragraphs kept
    assert corpus.event.title in html
    same = [a.title for a in response.context["same_story"]]
    assert same == [corpus.articles["talks-copy"].title]
    related = [a.title for a in response.context["related"]]
    assert corpus.articles["islamabad"].title in related and corpus.articles["talks-copy"].title not in related


def test_article_page_says_where_its_date_comes_from(client, corpus):
    article = corpus.articles["talks"]
    html = client.get(article.get_absolute_url()).content.decode()
    assert "date from the page’s metadata" in html or "date from the page&#x27;s metadata" in html
    Article.objects.filter(pk=article.pk).update(published_basis=PublishedBasis.TEXT, published_precision=DatePrecision.APPROXIMATE)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "date read from the text (approximate)" in html
    Article.objects.filter(pk=article.pk).update(published_at=None, published_basis=PublishedBasis.NONE)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "undated: the page and the text give no safe date" in html


def test_a_copy_links_to_its_original(client, corpus):
    html = client.get(corpus.articles["talks-copy"].get_absolute_url()).content.decode()
    assert "A version of" in html and corpus.articles["talks"].get_absolute_url() in html


def test_article_body_is_escaped(client, db):
    from articles.models import Article

    article = Article.objects.create(url="https://news.example/x", title="T", content_hash="x",
                                     body="Zalmay Khalilzad wrote <img src=x onerror=alert(1)> here.")
    article_tag(article=article)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_person_page(client, corpus):
    response = client.get(reverse("articles:person", args=["zalmay-khalilzad"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "US Special Representative for Afghanistan Reconciliation" in html  # a dated role
    assert "<svg" in html and 'class="bar"' in html
    chart = response.context["chart"]
    assert chart.total == sum(bar.count for bar in chart.bars)
    assert chart.bars[0].label == "February 2020"
    with_people = {item.slug: item.count for item in response.context["co_mentions"]["person"]}
    assert with_people["abdul-ghani-baradar"] >= 3
    assert "zalmay-khalilzad" not in with_people
    assert corpus.event in response.context["events"]
    assert response.context["articles"][0].title == "Taliban enter Kabul as Ashraf Ghani leaves"
    assert 'href="/articles/?person=zalmay-khalilzad"' in html


@pytest.mark.parametrize("kind,slug", [("organization", "taliban"), ("place", "doha"), ("topic", "doha-agreement")])
def test_other_entity_pages(client, corpus, kind, slug):
    response = client.get(reverse(f"articles:{kind}", args=[slug]))
    assert response.status_code == 200
    assert response.context["chart"] is not None
    assert response.context["articles"]


def test_unknown_entity_and_event_are_404(client, db):
    for name in ("person", "organization", "place", "topic", "event"):
        assert client.get(reverse(f"articles:{name}", args=["no-such-thing"])).status_code == 404
    assert client.get(reverse("articles:detail", args=[999999])).status_code == 404


def test_timeline_filters_and_groups_by_month(client, corpus):
    response = client.get(reverse("articles:events"), {"person": "zalmay-khalilzad", "date_after": "2021-03-01",
                                                       "date_before": "2021-03-31"})
    assert response.status_code == 200
    months = response.context["months"]
    assert months[0].month == dt.date(2021, 3, 1)
    assert corpus.event in months[0].events
    assert all(dt.date(2021, 3, 1) <= e.start_date <= dt.date(2021, 3, 31) for m in months for e in m.events)
    chips = {(chip.label, chip.value) for chip in response.context["chips"]}
    assert {("Person", "Zalmay Khalilzad"), ("From", "1 Mar 2021"), ("To", "31 Mar 2021")} <= chips
    by_kind = client.get(reverse("articles:events"), {"kind": "agreement"}).context["months"]
    assert by_kind and all(e.kind == "agreement" for m in by_kind for e in m.events)
    assert client.get(reverse("articles:events"), {"kind": "party"}).status_code == 400
    assert client.get(reverse("articles:events"), {"place": "atlantis"}).status_code == 400


def test_event_page(client, corpus):
    response = client.get(reverse("articles:event", args=[corpus.event.slug]))
    html = response.content.decode()
    assert "8 March 2021" in html and "US envoy" in html
    assert corpus.articles["talks"].title in html
    assert f"?event={corpus.event.slug}" in html


def test_page_query_counts_do_not_grow_with_the_data(client, corpus):
    urls = [
        reverse("articles:home"),
        corpus.articles["talks"].get_absolute_url(),
        reverse("articles:person", args=["zalmay-khalilzad"]),
        reverse("articles:organization", args=["taliban"]),
        reverse("articles:place", args=["islamabad"]),
        reverse("articles:topic", args=["doha-agreement"]),
        reverse("articles:events") + "?person=zalmay-khalilzad",
        reverse("articles:event", args=[corpus.event.slug]),
        reverse("articles:list") + "?person=zalmay-khalilzad&person=qamar-javed-bajwa",
    ]
    for url in urls:  # the corpus's timeline event changed the knowledge base: the first page rebuilds the index
        client.get(url)
    before = {url: _queries(client, url) for url in urls}
    _more_articles(30)
    corpus.event.articles.add(*corpus.articles.values())
    for i in range(15):
        event = Event.objects.create(title=f"Round {i}", slug=f"round-{i}", kind="talks",
                                     start_date=dt.date(2021, 3, 1 + i))
        EventParticipant.objects.create(event=event, person=Person.objects.get(slug="zalmay-khalilzad"))
    after = {url: _queries(client, url) for url in urls}
    # Equal, except that a list page filled by dated articles skips the query for undated ones.
    assert all(after[url] <= before[url] for url in urls), (before, after)
    assert {u: n for u, n in after.items() if "/articles/?" not in u} == {
        u: n for u, n in before.items() if "/articles/?" not in u}
    assert max(after.values()) <= 20, after


def test_quotes_show_on_the_article_and_the_speakers_page(client, corpus):
    from django.apps import apps

    Quote = apps.all_models["articles"].get("quote")
    if Quote is None:
        pytest.skip("the tagger's Quote model is not in this schema")
    article = corpus.articles["islamabad"]
    text = "Pakistan supports a political settlement"
    Quote.objects.create(article=article, text=text, offset=article.body.index("Pakistan supported"),
                         speaker_person=Person.objects.get(slug="qamar-javed-bajwa"), attribution="said")
    assert text in client.get(article.get_absolute_url()).content.decode()
    page = client.get(reverse("articles:person", args=["qamar-javed-bajwa"])).content.decode()
    assert text in page and article.title in page


def test_roles_show_their_dates_as_precisely_as_they_are_known(client):
    """Ghani's finance ministry is known by year (2002-2004), his presidency to the day."""
    minister = PersonRole.objects.get(person__slug="ashraf-ghani", title="Minister of Finance")
    assert (minister.start_precision, minister.end_precision) == ("year", "year")
    html = client.get("/people/ashraf-ghani/").content.decode()
    assert "2002 – 2004" in html and "Jan 2002" not in html
    assert "29 September 2014 – 15 August 2021" in html


def test_invented_outlets_are_labelled_demo_wherever_their_articles_are_listed(client):
    demo = Source.objects.create(name="Invented Wire", slug="invented-wire", is_demo=True)
    real = Source.objects.create(name="Real Wire", slug="real-wire")
    for number, source in enumerate([demo, real]):
        Article.objects.create(
            url=f"https://example.org/demo-label/{number}", title=f"Khalilzad in Doha, part {number}",
            body="DOHA: Zalmay Khalilzad met the Taliban.", source=source, content_hash=f"demo-label-{number}",
            published_at=dt.datetime(2021, 3, 1 + number, tzinfo=dt.UTC),
        )
    for path in ("/", "/articles/?relevant=all"):
        html = client.get(path).content.decode()
        assert html.count('class="badge demo"') == 1, path
        demo_at = html.index("Invented Wire")
        assert "Real Wire" in html
        assert html.find('class="badge demo"', demo_at) < html.find("</p>", demo_at), path
