"""Events: built from sentences, one Event per real-world event across articles, reviewed ones kept."""

import datetime as dt

import pytest

from articles.models import Event, EventEvidence, Place
from articles.tagging import analyze, article_tag

pytestmark = pytest.mark.django_db

DOHA_SIGNING = (
    "DOHA — Zalmay Khalilzad and Mullah Abdul Ghani Baradar signed an agreement in Doha on Saturday "
    "that sets out a withdrawal of US troops. Secretary of State Mike Pompeo attended the ceremony."
)


def article_analysis(article):
    return analyze(title=article.title, body=article.body, dateline=article.dateline)


def test_the_seed_meeting_is_one_event_with_its_date_place_and_participants(seed_article):
    extracted = next(e for e in article_analysis(seed_article).events if e.kind == "meeting")
    assert Place.objects.get(pk=extracted.place[1]).name == "Islamabad"  # the dateline: GHQ is not a place
    meeting = seed_article.events.get(kind="meeting")
    assert meeting.start_date == dt.date(2021, 3, 8) and meeting.start_precision == "day"
    names = {p.entity.name for p in meeting.participants.all()}
    assert {"Zalmay Khalilzad", "Austin Scott Miller", "Qamar Javed Bajwa", "Faiz Hameed", "Moeed Yusuf"} <= names
    assert not meeting.reviewed and 0 < meeting.confidence <= 1
    assert EventEvidence.objects.get(event=meeting, article=seed_article).sentence.startswith("ISLAMABAD")


def test_the_seed_gets_its_inferred_publication_date(seed_article):
    seed_article.refresh_from_db()
    assert seed_article.published_at.date() == dt.date(2021, 3, 9)
    assert seed_article.published_precision == "approximate"


def test_an_event_reported_twice_is_one_event_with_two_sources(make_article):
    first = make_article(
        "KABUL — Pakistan's army chief, General Qamar Javed Bajwa, met President Ashraf Ghani in Kabul "
        "on Monday to discuss the peace process.",
        published=dt.date(2021, 5, 10),
    )
    second = make_article(
        "ISLAMABAD — General Qamar Javed Bajwa held a meeting with Ashraf Ghani and the British "
        "defence chief, Nick Carter, in Kabul on Monday.",
        published=dt.date(2021, 5, 11),
    )
    article_tag(article=first)
    article_tag(article=second)
    events = Event.objects.filter(kind="meeting", start_date=dt.date(2021, 5, 10))
    assert events.count() == 1
    event = events.get()
    assert set(event.articles.all()) == {first, second}
    assert "Nick Carter" in {p.entity.name for p in event.participants.all()}


def test_an_extracted_event_joins_the_reviewed_timeline_event(make_article):
    reviewed = Event.objects.get(reviewed=True, kind="agreement", start_date=dt.date(2020, 2, 29), place__slug="doha")
    participants = set(reviewed.participants.values_list("person_id", "organization_id"))
    article = make_article(DOHA_SIGNING, published=dt.date(2020, 2, 29))
    article_tag(article=article)
    assert article in reviewed.articles.all()
    assert not Event.objects.filter(reviewed=False, kind="agreement").exists()
    assert set(reviewed.participants.values_list("person_id", "organization_id")) == participants  # editors' data untouched


def test_retagging_takes_back_only_what_the_tagger_attached(make_article):
    article = make_article(DOHA_SIGNING, published=dt.date(2020, 2, 29))
    article_tag(article=article)
    editors_event = Event.objects.get(reviewed=True, kind="statement", start_date=dt.date(2020, 2, 29))
    editors_event.articles.add(article)  # an editor's link, without evidence
    article.title = article.body = "Nothing happened."
    article.save()
    article_tag(article=article)
    assert list(article.events.all()) == [editors_event]
    assert not EventEvidence.objects.filter(article=article).exists()


BODY_WITH_DEADLINES = (
    "ISLAMABAD — Khalilzad visited Islamabad on Monday. He said US troops would leave by May 1. "
    "Under the agreement the United States signed with the Taliban, foreign troops must leave by May 1. "
    "Pakistan has long supported talks. The Taliban said in a statement on Tuesday that they "
    "would attend the conference."
)


def test_kinds_of_events_and_sentences_without_dates():
    analysis = analyze(title="", body=BODY_WITH_DEADLINES, published_at=dt.date(2021, 3, 10))
    kinds = {(e.kind, e.date.key()) for e in analysis.events}
    # A deadline the agreement set is one; the same day merely said is not (a plan, not a fact).
    assert kinds == {("visit", "2021-03-08"), ("deadline", "2021-05-01"), ("statement", "2021-03-09")}
    deadline = next(e for e in analysis.events if e.kind == "deadline")
    assert "agreement" in BODY_WITH_DEADLINES[deadline.sentence[0]:deadline.sentence[1]]


def test_writing_events_takes_the_same_queries_for_one_event_or_five(make_article, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    one = make_article("KABUL — Ashraf Ghani met Zalmay Khalilzad in Kabul on Monday.", published=dt.date(2020, 6, 2))
    five = make_article(
        "KABUL — Ashraf Ghani met Zalmay Khalilzad in Kabul on Monday. Khalilzad visited Doha on Tuesday. "
        "Abdullah Abdullah said in a statement on Wednesday that talks would resume. Mike Pompeo announced "
        "on Thursday a new aid package. Imran Khan hosted Abdul Ghani Baradar in Islamabad on Friday.",
        published=dt.date(2020, 6, 6),
    )
    counts = []
    for article in (one, five):
        with CaptureQueriesContext(connection) as queries:
            analysis = article_tag(article=article)
        counts.append((len(analysis.events), len(queries)))
    assert counts[0][0] == 1 and counts[1][0] == 5, counts
    assert counts[1][1] <= counts[0][1] + 2, counts  # the people and places differ a little, the events do not count


def _named_events(body: str, published: dt.date):
    from articles.tagging.knowledge import get_index

    entities = get_index().matcher.entities
    return [
        (e.kind, e.date.key(), sorted(entities[k].name for k in e.participants if k[0] != "new"))
        for e in analyze(title="", body=body, published_at=published).events
    ]


def test_a_delegation_s_members_named_after_its_arrival_take_part_in_it():
    body = (
        "A delegation of Afghan politicians arrived in Islamabad on Sunday as Taliban fighters entered Kandahar. "
        "The delegation is led by Mir Rahman Rahmani, the Speaker of the Wolesi Jirga. "
        "It includes Younus Qanooni and the brother of the late commander Ahmad Shah Massoud."
    )
    found = _named_events(body, dt.date(2021, 8, 15))
    visit = next(e for e in found if e[0] == "visit")
    # Not the Taliban of the 'as' clause; not whom the members are named after.
    assert visit == ("visit", "2021-08-15", ["Mir Rahman Rahmani", "Younus Qanooni"])


def test_a_call_the_story_reports_is_of_the_story_s_day():
    body = (
        "KABUL: US President Joe Biden announced on Wednesday that all American troops would leave Afghanistan. "
        "President Ashraf Ghani said he had spoken with Biden by phone and that Afghanistan respected the decision."
    )
    found = _named_events(body, dt.date(2021, 4, 15))
    assert ("meeting", "2021-04-14", ["Ashraf Ghani", "Joe Biden"]) in found


def test_the_day_before_at_the_end_of_a_clause_is_the_event_s_own_day():
    body = "KABUL, Oct 13: The Taliban said on Saturday their representatives had met Zalmay Khalilzad in Doha the day before."
    assert ("meeting", "2018-10-12", ["Taliban", "Zalmay Khalilzad"]) in _named_events(body, dt.date(2018, 10, 13))


def test_also_met_is_another_meeting_than_the_one_just_told():
    body = (
        "Zalmay Khalilzad met Mullah Abdul Ghani Baradar in Doha on Friday. "
        "On Friday Khalilzad also met Qatar's foreign minister, Sheikh Mohammed bin Abdulrahman Al Thani."
    )
    meetings = [e for e in _named_events(body, dt.date(2018, 10, 13)) if e[0] == "meeting"]
    assert len(meetings) == 2


def test_received_him_again_is_a_meeting_with_the_person_the_story_is_about():
    body = (
        "Zalmay Khalilzad is on a tour of the region. "
        "He met President Ashraf Ghani in Kabul on Monday, and the presidential palace said Ghani received him again on Saturday."
    )
    found = _named_events(body, dt.date(2018, 10, 13))
    assert ("meeting", "2018-10-13", ["Ashraf Ghani", "Zalmay Khalilzad"]) in found


def test_a_statement_dated_before_its_speaker():
    body = "KABUL: Ahmad Massoud spoke on Monday. On Sunday, Massoud had said the resistance was ready to talk."
    assert ("statement", "2021-09-05", ["Ahmad Massoud"]) in _named_events(body, dt.date(2021, 9, 6))
    # 'on Wednesday, Sullivan said' inside a sentence is no such opening: the day is someone else's.
    body = "In the call, the first since President Joe Biden took office on Wednesday, Jake Sullivan said the review would start."
    assert [e for e in _named_events(body, dt.date(2021, 1, 23)) if e[0] == "statement"] == []
