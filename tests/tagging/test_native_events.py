"""Events of Dari, Pashto and Urdu texts, dated by their native dates: reported ones, and the
negated, planned and hoped-for ones that are not events."""

import datetime as dt

import pytest

from articles.tagging import analyze

pytestmark = pytest.mark.django_db

PUBLISHED = dt.date(2021, 1, 27)  # 8 Dalw 1399, a Wednesday


def events(body: str, published=PUBLISHED):
    return [(e.kind, e.date.key(), e.date_text) for e in analyze(title="", body=body, published_at=published).events]


def test_a_meeting_dated_by_a_solar_hijri_day_says_its_calendar():
    found = events("زلمی خلیلزاد روز سه‌شنبه، ۷ دلو ۱۳۹۹، در دوحه با ملا عبدالغنی برادر دیدار کرد.")
    assert ("meeting", "2021-01-26", "7 دلو 1399 (Solar Hijri)") in found


def test_a_meeting_dated_by_a_relative_word():
    assert [(kind, day) for kind, day, _ in events("زلمی خلیلزاد دیروز در دوحه با ملا عبدالغنی برادر دیدار کرد.")] == [
        ("meeting", "2021-01-26")
    ]


def test_a_negated_meeting_is_not_an_event():
    assert events("زلمی خلیلزاد دیروز در دوحه با ملا عبدالغنی برادر دیدار نکرد.") == []


def test_a_planned_meeting_is_not_an_event():
    assert events("قرار است زلمی خلیلزاد فردا در دوحه با ملا عبدالغنی برادر دیدار کند.") == []
    assert events("زلمی خلیلزاد روز شنبه در دوحه با ملا عبدالغنی برادر دیدار خواهد کرد.") == []


def test_a_hoped_for_meeting_is_not_an_event():
    assert events("امید می‌رود زلمی خلیلزاد روز شنبه در دوحه با ملا عبدالغنی برادر دیدار کند.") == []
