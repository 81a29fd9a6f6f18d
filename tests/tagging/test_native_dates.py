"""Dari, Pashto and Urdu dates: found in the text, resolved against the publication day, and the
publication day read from a native dateline."""

import datetime as dt

import pytest

from articles.tagging import analyze
from articles.tagging.dates import find_dates, resolve
from articles.tagging.sentences import split_sentences

# A Wednesday, 20 Hut 1399.
REFERENCE = dt.date(2021, 3, 10)


def resolved(text: str, reference=REFERENCE) -> list[tuple[str, str] | None]:
    out = []
    for mention in find_dates(text, split_sentences(text).spans):
        found = resolve(mention, reference)
        out.append((found.key(), found.precision) if found else None)
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("این نشست در ۷ عقرب ۱۳۹۹ برگزار شد.", ("2020-10-28", "day")),
        ("او در ۲۶ دلو ۱۳۹۹ به کابل رسید.", ("2021-02-14", "day")),
        ("جنگ‌بس از اول شوال ۱۴۴۱ آغاز شد.", ("2020-05-24", "day")),
        ("طالبان در ۱۵ اگست ۲۰۲۱ وارد کابل شدند.", ("2021-08-15", "day")),
        ("شورای امنیت ملی امروز، چهارشنبه ٢٠ حمل ١٣٩٩، اعلام کرد.", ("2020-04-08", "day")),  # Arabic-Indic digits
        ("هوکړه د کب ۱۰مه لاسلیک شوه.", ("2021-02-28", "day")),  # no year: the one before the publication day
        ("طالبانو د غبرګولي په ۱۹مه اوربند اعلان کړ.", ("2020-06-08", "day")),  # 'په' between month and day
        ("دیروز هیئت به دوحه رفت.", ("2021-03-09", "day")),
        ("طالبانو پرون اعلامیه خپره کړه.", ("2021-03-09", "day")),
        ("وزیر خارجہ نے آج اسلام آباد میں کہا۔", ("2021-03-10", "day")),
        ("هیئت روز شنبه وارد کابل شد.", ("2021-03-06", "day")),
        ("ملاقات پیر کو ہوئی۔", ("2021-03-08", "day")),
        ("دو روز پیش این حمله صورت گرفت.", ("2021-03-08", "day")),
        ("وزیراعظم اگست ۲۰۲۱ میں کابل گئے۔", ("2021-08", "month")),
    ],
)
def test_native_expressions_resolve_against_the_publication_day(text, expected):
    assert resolved(text)[-1] == expected


def test_the_future_of_a_verb_final_clause_puts_a_weekday_ahead():
    assert resolved("خبرې به د دوشنبې په ورځ بیا پیل شي.") == [("2021-03-15", "day")]
    assert resolved("وزیراعظم جمعے کو کابل کا دورہ کریں گے۔") == [("2021-03-12", "day")]
    # Urdu 'کل' is yesterday or tomorrow by its clause.
    assert resolved("وزیر خارجہ کل کابل جائیں گے۔") == [("2021-03-11", "day")]
    assert resolved("وزیر خارجہ کل کابل گئے تھے۔") == [("2021-03-09", "day")]


def test_words_that_only_look_like_dates_are_not_dates():
    assert find_dates("شمار کشته‌شدگان به ۱۰ می‌رسد.") == []  # 'می' the verb prefix, not May
    assert find_dates("گزشتہ ہفتے بات چیت ہوئی۔")[0].kind == "relative"  # a week, not Saturday
    assert find_dates("پیر صاحب نے دعا کی۔") == []  # a saint, not Monday


def test_a_deadline_keeps_its_until():
    mention = find_dates("تا ۱۹ حوت زندانیان آزاد می‌شوند.")[0]
    assert mention.modifier == "until" and mention.calendar == "solar"
    assert resolve(mention, dt.date(2020, 2, 29)).key() == "2020-03-09"
    assert find_dates("یکم نومبر تک ملک چھوڑ دیں۔")[0].modifier == "until"


def test_a_hijri_day_written_with_its_weekday_follows_the_weekday():
    """The tables put 1 Shawwal 1439 on Friday 15 June 2018; a Saturday dateline means the 16th."""
    mentions = find_dates("شنبه، اول شوال ۱۴۳۹")
    assert (mentions[-1].year, mentions[-1].month, mentions[-1].day) == (2018, 6, 16)


@pytest.mark.django_db
def test_publication_day_from_a_solar_hijri_dateline():
    body = "دوحه – شنبه، ۲۲ سنبله ۱۳۹۹\n\nمذاکرات صلح امروز در دوحه آغاز شد."
    analysis = analyze(title="", body=body, fetched_at=dt.date(2020, 9, 14))
    assert (analysis.published.key(), analysis.published_source) == ("2020-09-12", "dateline")


@pytest.mark.django_db
def test_a_pashto_dateline_without_a_year_takes_the_year_its_weekday_fits():
    body = "کندهار – جمعه، د زمري ۲۲مه\n\nطالبان وايي چې کندهار یې نن سهار نیولی دی."
    analysis = analyze(title="", body=body, fetched_at=dt.date(2021, 8, 14))
    assert (analysis.published.key(), analysis.published_source) == ("2021-08-13", "dateline")
    today = [r for m, r in analysis.dates if m.relative == "today"]
    assert today and today[0].key() == "2021-08-13"


@pytest.mark.django_db
def test_an_urdu_dateline_without_a_weekday_stays_undated_without_one_in_the_story():
    body = "اسلام آباد (۱۶ اگست) وزیراعظم نے کہا کہ امن ضروری ہے۔"
    assert analyze(title="", body=body, fetched_at=dt.date(2021, 8, 17)).published is None
    reported = "اسلام آباد (۱۶ اگست) وزیراعظم نے کہا کہ امن ضروری ہے۔ انہوں نے یہ بات پیر کو کہی۔"
    analysis = analyze(title="", body=reported, fetched_at=dt.date(2021, 8, 17))
    assert analysis.published.key() == "2021-08-16"
