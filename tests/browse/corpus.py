"""A small corpus for the browsing tests, written through the real services (upsert, then tag).

Dates and outlets are chosen so that filters, sorting, paging, facets, 'also in' and the
timeline each have something to show; every text is our own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from articles.ingest import ParsedDocument, article_upsert
from articles.models import Article, Event, EventParticipant, Organization, Person, Place, Source
from articles.tagging import article_tag

STORIES = [
    # (key, outlet, date, title, body)
    ("talks", "Kabul Ledger", "2021-03-09",
     "Khalilzad meets Baradar in Doha to press for a reduction in violence",
     "DOHA – Zalmay Khalilzad met Abdul Ghani Baradar of the Taliban in Doha on Monday. The US envoy urged "
     "a reduction in violence and said the Doha agreement still guided Washington's approach.\n\n"
     "Officials of the Government of Afghanistan said they expected the intra-Afghan negotiations to resume."),
    ("talks-copy", "Gulf Crescent Times", "2021-03-10",
     "US envoy and Taliban deputy discuss violence in Doha",
     "DOHA – Zalmay Khalilzad met Abdul Ghani Baradar of the Taliban in Doha on Monday. The US envoy urged "
     "a reduction in violence and said the Doha agreement still guided Washington's approach.\n\n"
     "Officials of the Government of Afghanistan said they expected the intra-Afghan negotiations to resume."),
    ("islamabad", "Indus Evening Post", "2021-03-12",
     "Khalilzad visits Islamabad after Doha round",
     "ISLAMABAD – Zalmay Khalilzad met Qamar Javed Bajwa in Islamabad to discuss the Afghan peace process "
     "and the Doha agreement. Pakistan's army chief said Pakistan supported a political settlement."),
    ("moscow", "Potomac Wire", "2021-03-18",
     "Moscow conference calls for a ceasefire",
     "MOSCOW – Russia hosted talks with the Taliban and the Afghan government in Moscow. Zalmay Khalilzad "
     "attended with envoys of China and Pakistan; Abdullah Abdullah led the Kabul delegation. The meeting "
     "called for a ceasefire and a reduction in violence."),
    ("signing", "Kabul Ledger", "2020-02-29",
     "US and Taliban sign the Doha agreement",
     "DOHA – Zalmay Khalilzad and Abdul Ghani Baradar signed the Doha agreement on Saturday, setting a "
     "timetable for the withdrawal of US troops in exchange for Taliban guarantees on counterterrorism."),
    ("kabul", "Hindu Kush Monitor", "2021-08-15",
     "Taliban enter Kabul as Ashraf Ghani leaves",
     "KABUL – Taliban fighters entered Kabul on Sunday after Ashraf Ghani left the country. The Taliban "
     "said a new government would be announced. Abdullah Abdullah said the peace process and the Doha "
     "agreement had been overtaken, and Zalmay Khalilzad urged the Taliban to avoid violence in Kabul."),
    ("cricket", "Potomac Wire", "2021-03-15",
     "Cricket final goes to a super over",
     "LONDON – The final was settled in a super over after both sides finished level on runs at Lord's."),
]
UNDATED = [
    ("undated-1", "Silk Road Courier", "Envoy Khalilzad says talks continue",
     "Zalmay Khalilzad said the talks with the Taliban on the Doha agreement would continue in Doha, and "
     "that a reduction in violence was the aim of the peace process."),
    ("undated-2", "Silk Road Courier", "Baradar returns to Doha",
     "Abdul Ghani Baradar returned to Doha for talks with Zalmay Khalilzad on the Doha agreement and a "
     "reduction in violence, as the peace process stalled."),
]


# What tagging may create besides articles (discovered people, extracted events, outlets).
CREATED_ALONG = (Event, Person, Organization, Source)


@dataclass
class Corpus:
    articles: dict[str, Article]
    event: Event
    id_before: dict[type, int] = field(default_factory=dict)


def _add(key: str, outlet: str, day: str | None, title: str, body: str) -> Article:
    published = None
    if day:
        published = dt.datetime.fromisoformat(day).replace(hour=9, tzinfo=dt.UTC)
    document = ParsedDocument(
        url=f"https://news.example/{key}", title=title, body=body, source_name=outlet,
        byline="Newsroom test desk", published_at=published,
    )
    article, _ = article_upsert(document=document)
    article_tag(article=article)
    article.refresh_from_db()
    return article


def build_corpus() -> Corpus:
    id_before = {model: model.objects.order_by("-id").values_list("id", flat=True).first() or 0
                 for model in CREATED_ALONG}
    articles = {key: _add(key, outlet, day, title, body) for key, outlet, day, title, body in STORIES}
    articles.update({key: _add(key, outlet, None, title, body) for key, outlet, title, body in UNDATED})
    # The tagger leaves the date it cannot read; a syndicated copy points to its original.
    copy = articles["talks-copy"]
    if copy.duplicate_of_id is None:
        copy.duplicate_of = articles["talks"]
        copy.save(update_fields=["duplicate_of"])
    for key, day in [(k, d) for k, _, d, _, _ in STORIES]:
        article = articles[key]
        wanted = dt.datetime.fromisoformat(day).replace(hour=9, tzinfo=dt.UTC)
        if article.published_at != wanted:
            Article.objects.filter(pk=article.pk).update(published_at=wanted)
            article.published_at = wanted
    event, _ = Event.objects.get_or_create(
        slug="test-khalilzad-baradar-doha-march-2021",
        defaults={
            "title": "Khalilzad and Baradar meet in Doha (test)", "kind": Event.Kind.MEETING,
            "start_date": dt.date(2021, 3, 8), "place": Place.objects.get(slug="doha"),
            "summary": "The US envoy and the Taliban's deputy leader met to discuss violence.", "reviewed": True,
        },
    )
    EventParticipant.objects.get_or_create(event=event, person=Person.objects.get(slug="zalmay-khalilzad"),
                                           defaults={"role": "US envoy"})
    EventParticipant.objects.get_or_create(event=event, organization=Organization.objects.get(slug="taliban"),
                                           defaults={"role": "delegation"})
    event.articles.add(articles["talks"], articles["talks-copy"])
    return Corpus(articles, event, id_before)


def remove_corpus(corpus: Corpus) -> None:
    """Delete what build_corpus made, and what tagging it created (for tests that commit it)."""
    ids = [a.pk for a in corpus.articles.values()]
    Article.objects.filter(pk__in=ids).update(duplicate_of=None)
    Article.objects.filter(pk__in=ids).delete()
    for model in CREATED_ALONG:
        model.objects.filter(id__gt=corpus.id_before[model]).delete()
