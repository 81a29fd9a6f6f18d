"""Dates: expressions found in text and resolved against the publication day, with a precision."""

import datetime as dt

import pytest

from articles.tagging import analyze
from articles.tagging.dates import find_dates, resolve, settle_publication
from articles.tagging.sentences import split_sentences

# A Tuesday.
REFERENCE = dt.date(2021, 3, 9)


def resolved(text: str, reference=REFERENCE) -> list[tuple[str, str]]:
    mentions = find_dates(text, split_sentences(text).spans)
    out = []
    for m in mentions:
        r = resolve(m, reference)
        out.append((r.key(), r.precision) if r else None)
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The envoy met the army chief on Monday.", ("2021-03-08", "day")),
        ("They spoke late Monday.", ("2021-03-08", "day")),
        ("The talks will resume on Friday.", ("2021-03-12", "day")),
        ("Troops would leave by May 1st.", ("2021-05-01", "day")),
        ("He arrived on 20 March.", ("2020-03-20", "day")),
        ("He visited Islamabad on March 8.", ("2021-03-08", "day")),
        ("The deal was signed on 29 February 2020.", ("2020-02-29", "day")),
        ("Negotiators met last week.", ("2021-03-02", "approximate")),
        ("A conference is planned for next month.", ("2021-04", "month")),
        ("The offensive began in May.", ("2020-05", "month")),
        ("Talks will be held in April.", ("2021-04", "month")),
        ("It happened two days ago.", ("2021-03-07", "day")),
        ("Yesterday the envoy left.", ("2021-03-08", "day")),
        ("The Taliban took power in 2021.", ("2021", "year")),
        ("It was agreed in February 2020.", ("2020-02", "month")),
    ],
)
def test_expressions_resolve_against_the_publication_day(text, expected):
    assert resolved(text) == [expected]


def test_a_deadline_date_in_past_narration_is_the_nearest_such_day():
    assert resolved("The deal called for prisoners to be freed by 10 March.", dt.date(2020, 4, 7)) == [("2020-03-10", "day")]


def test_the_name_of_an_attack_is_not_a_date_of_this_year():
    assert resolved("Families of victims of the 11 September attacks sued.") == []


def test_may_the_verb_is_not_a_month():
    assert resolved("The talks may resume and we may see progress.") == []


def settled(text: str, *, roles=(), fetched=None, given=None, dateline: str = ""):
    mentions = find_dates(text, split_sentences(text).spans)
    publication = settle_publication(
        given=given, fetched=fetched, dateline=find_dates(dateline) if dateline else [], text=mentions,
        constraints=lambda: [list(roles)] if roles else [],
    )
    return (publication.date.key(), publication.date.precision, publication.basis) if publication.date else None


def test_year_from_dated_roles_confirmed_by_weekdays():
    """'March 8' fell on a Monday in 2010, 2021 and 2027; a Secretary of State Blinken fixes 2021."""
    text = "They met on Monday. The statement said he visited on March 8."
    blinken = (dt.date(2021, 1, 26), dt.date(2025, 1, 20))
    assert settled(text, roles=[blinken]) == ("2021-03-09", "approximate", "text")
    assert settled(text) is None  # nothing but a weekday to fix the year with


@pytest.mark.django_db
def test_a_weekday_confirms_a_day_only_when_both_date_the_same_report():
    """A statement 'on Wednesday' says nothing of the day of an attack 'on May 31' (a Wednesday in
    2017): the two sentences share no one, so no date is read; the seed's meeting 'on Monday' and
    visit 'on March 8' are both Khalilzad's, so they do date the article."""
    body = (
        "The White House said on Wednesday that six Afghan schoolgirls may enter the United States, after an "
        "intervention by President Donald Trump. A truck bomb in Kabul killed more than 150 people on May 31."
    )
    assert analyze(title="", body=body, fetched_at=dt.date(2017, 7, 20)).published is None


def test_never_from_weekday_arithmetic_alone():
    """A speech 'on Wednesday' and a deadline 'by May 1' are different days: May 1 was a Wednesday
    in 2024, within President Biden's term, but nothing says the speech was on May 1."""
    biden = (dt.date(2021, 1, 20), dt.date(2025, 1, 20))
    text = "President Joe Biden said on Wednesday that all troops would leave by May 1."
    assert settled(text, roles=[biden], fetched=dt.date(2026, 1, 1)) is None


def test_a_past_day_without_a_weekday_dates_nothing():
    """An August 2020 piece recalling 'February 29' is not dated 1 March 2020."""
    text = "The agreement was signed in Doha on February 29. The prisoners were freed in stages."
    assert settled(text, fetched=dt.date(2020, 8, 20)) is None


def test_a_dateline_weekday_and_day_resolve_within_a_year_of_the_fetch():
    assert settled("Fighting resumed.", dateline="Saturday, March 14", fetched=dt.date(2026, 11, 1)) == (
        "2026-03-14", "day", "dateline")
    # Without the weekday, this year's and last year's March 14 both fit: undated.
    assert settled("Fighting resumed.", dateline="March 14", fetched=dt.date(2026, 11, 1)) is None


def test_never_later_than_the_fetch_and_never_before_a_stated_year():
    fetched = dt.date(2021, 4, 15)
    assert settled("Talks resumed.", given=dt.date(2024, 5, 2), fetched=fetched) is None  # metadata from the future
    assert settled("Talks resumed.", given=dt.date(2021, 4, 14), fetched=fetched) == ("2021-04-14", "day", "metadata")
    # 'On Monday, March 8' fits 2021; a past fact of 2022 in the text rules 2021 out.
    text = "They met on Monday, March 8. The fighting in 2022 was the worst in years."
    assert settled(text, fetched=dt.date(2022, 12, 1)) is None


@pytest.mark.django_db
def test_publication_day_from_the_text_when_there_is_no_date_anywhere():
    body = (
        "US Secretary of State Antony Blinken met Pakistan's army chief on Monday. "
        "The embassy said Blinken visited Islamabad on March 8."
    )
    analysis = analyze(title="", body=body)
    assert analysis.published is not None
    assert (analysis.published.key(), analysis.published.precision) == ("2021-03-09", "approximate")
    assert analysis.published_source == "text"


@pytest.mark.django_db
def test_publication_day_from_metadata_comes_first_then_the_dateline():
    body = "WASHINGTON, June 26 — President Joe Biden met Afghan President Ashraf Ghani on Friday."
    from_metadata = analyze(title="", body=body, published_at=dt.date(2021, 6, 27))
    assert from_metadata.published_source == "metadata"
    from_dateline = analyze(title="", body=body)
    assert from_dateline.published_source == "dateline"
    # President Biden (from 2021) and President Ghani (until August 2021) fix the year.
    assert (from_dateline.published.key(), from_dateline.published.precision) == ("2021-06-26", "day")


@pytest.mark.django_db
def test_an_undecidable_year_is_left_open():
    """9 March fell on a Monday in 2015 and 2020, both in Ghani's presidency: no guess is made."""
    analysis = analyze(title="", body="KABUL, March 9 — Afghan President Ashraf Ghani met envoys on Monday.")
    assert analysis.published is None
