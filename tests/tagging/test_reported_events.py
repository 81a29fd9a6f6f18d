"""What a text reports and when: the rules of events.py, dates.py and curated.py one at a time, on
short texts against the shipped knowledge base (the gold files measure them together)."""

import datetime as dt

import pytest

from articles.models import Event
from articles.tagging import analyze
from articles.tagging.knowledge import get_index

pytestmark = pytest.mark.django_db


def events(body: str, published: dt.date | None, **kwargs) -> set[tuple[str, str, frozenset[str]]]:
    index = get_index()
    analysis = analyze(title=kwargs.pop("title", ""), body=body, published_at=published, index=index, **kwargs)
    return {
        (e.kind, e.date.key(), frozenset(index.matcher.entities[k].name for k in e.participants if k[0] != "new"))
        for e in analysis.events
    }


def curated(body: str, published: dt.date | None, **kwargs) -> set[str]:
    index = get_index()
    analysis = analyze(title=kwargs.pop("title", ""), body=body, published_at=published, index=index, **kwargs)
    return {index.curated[event_id].slug for event_id in analysis.curated}


def dates(body: str, published: dt.date) -> dict[str, str]:
    analysis = analyze(title="", body=body, published_at=published)
    return {body[m.start:m.end]: r.key() for m, r in analysis.dates}


@pytest.mark.parametrize(
    "body",
    [
        "Zalmay Khalilzad did not meet Mullah Baradar in Doha on Monday.",
        "Zalmay Khalilzad may meet Mullah Baradar in Doha on Monday.",
        "Zalmay Khalilzad will travel to Islamabad on Monday.",
        "Zalmay Khalilzad has repeatedly urged the Taliban to cut violence.",
    ],
)
def test_negated_possible_future_and_habitual_mentions_are_not_events(body):
    assert events(body, dt.date(2021, 3, 10)) == set()


def test_an_appeal_is_a_statement_of_who_made_it():
    body = "The Extended Troika on Thursday called on the Taliban not to launch a spring offensive."
    assert ("statement", "2021-03-18", frozenset({"Extended Troika"})) in events(body, dt.date(2021, 3, 19))


def test_a_dated_interview_is_a_statement_and_saying_goes_back_to_the_subject():
    body = (
        "Zalmay Khalilzad told a television channel on Tuesday that the talks would resume. "
        "Abdul Ghani Baradar appeared on camera for the first time in weeks, saying in an interview aired "
        "on Wednesday that he was alive."
    )
    found = events(body, dt.date(2021, 9, 16))
    assert ("statement", "2021-09-14", frozenset({"Zalmay Khalilzad"})) in found
    assert ("statement", "2021-09-15", frozenset({"Abdul Ghani Baradar"})) in found


def test_a_message_in_his_voice_is_his_whoever_posted_it():
    body = (
        "Abdul Ghani Baradar has not been seen for a week. Abdul Ghani Baradar's deputies say he is well. "
        "An audio message in his voice, posted on Monday by Suhail Shaheen, said he was unhurt."
    )
    assert ("statement", "2021-09-13", frozenset({"Abdul Ghani Baradar"})) in events(body, dt.date(2021, 9, 16))


def test_days_after_and_before_date_what_follows_them():
    found = dates(
        "Jalalabad surrendered on Sunday morning, a day after Mazar-i-Sharif fell. "
        "The visit came two days after the Pentagon announced a drawdown. "
        "Biden met them two months after he ordered the troops out.",
        dt.date(2021, 8, 16),
    )
    assert found["a day after"] == "2021-08-14"
    assert found["two months after"] == "2021-06"
    # Without a day of its own, the sentence is read from the story's day, its opening's Sunday.
    assert found["two days after"] == "2021-08-13"


def test_the_day_after_alone_still_follows_the_day_before_it():
    found = dates("Ghani spoke on Monday. The day after, he flew to Doha.", dt.date(2021, 3, 10))
    assert found["The day after"] == "2021-03-09"


def test_last_thursday_is_a_week_earlier_when_the_text_also_says_thursday():
    body = (
        "President Ashraf Ghani on Thursday signed a peace agreement with Hizb-e-Islami. "
        "The text was agreed last Thursday, when Hanif Atmar put his name to a draft."
    )
    analysis = analyze(title="", body=body, published_at=dt.date(2016, 9, 30))
    assert [r.key() for _m, r in analysis.dates] == ["2016-09-29", "2016-09-22"]


def test_a_date_of_what_came_after_is_not_the_events():
    body = "The deal was agreed in the final hours of Joe Biden's term, after Donald Trump's inauguration on Monday."
    assert not {e for e in events(body, dt.date(2025, 1, 22)) if e[0] == "agreement"}


def test_a_sentence_with_two_dates_may_describe_two_timeline_events():
    body = (
        "The Taliban barred Afghan women from working for aid groups in December and on Tuesday extended "
        "the ban to women working for the United Nations."
    )
    found = curated(body, dt.date(2023, 4, 5))
    assert {"2022-12-24-women-barred-from-working-for-ngos", "2023-04-ban-extended-to-afghan-women-working-for-the-un"} <= found


def test_an_undated_text_is_dated_by_the_timeline_event_it_opens_on():
    body = (
        "KABUL — The Pentagon said on Friday that Thursday's suicide attack at the Abbey Gate of Kabul airport "
        "was carried out by a single bomber, and that the airport bombing killed 13 American service members."
    )
    analysis = analyze(title="", body=body, published_at=None, fetched_at=dt.date(2021, 9, 30))
    assert analysis.published is not None
    assert (analysis.published.day, analysis.published.precision, analysis.published_source) == (
        dt.date(2021, 8, 27), "approximate", "text"
    )
    assert "2021-08-26-suicide-bombing-at-kabul-airports-abbey-gate" in curated(
        body, None, fetched_at=dt.date(2021, 9, 30)
    )


def test_a_weekday_alone_never_dates_an_undated_text():
    body = "KABUL — Officials said on Thursday that the road to Jalalabad had reopened after heavy snow."
    analysis = analyze(title="", body=body, published_at=None, fetched_at=dt.date(2021, 9, 30))
    assert analysis.published is None


def test_the_timeline_anchor_respects_the_fetch():
    body = (
        "KABUL — The Pentagon said on Friday that Thursday's suicide attack at the Abbey Gate of Kabul airport "
        "was carried out by a single bomber."
    )
    analysis = analyze(title="", body=body, published_at=None, fetched_at=dt.date(2021, 8, 20))
    assert analysis.published is None


def test_a_timeline_event_described_on_its_day_is_linked_with_its_sentence():
    body = "Since the Taliban took Kabul on August 15, women have been told to stay at home."
    index = get_index()
    analysis = analyze(title="", body=body, published_at=dt.date(2021, 9, 10), index=index)
    fall = Event.objects.get(slug="2021-08-15-fall-of-kabul-as-ghani-leaves-the-country")
    link = analysis.curated[fall.pk]
    assert body[link.sentence[0]:link.sentence[1]].startswith("Since the Taliban took Kabul")
