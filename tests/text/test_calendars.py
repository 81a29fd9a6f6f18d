"""The calendars of Dari, Pashto and Urdu news: conversions (the libraries') and the word tables (ours)."""

import datetime as dt

import pytest

from articles.text import calendars
from articles.text.calendars import (
    GREGORIAN_MONTHS,
    LUNAR,
    LUNAR_MONTHS,
    ORDINAL_DAYS,
    SOLAR,
    SOLAR_MONTHS,
    WEEKDAYS,
    compact,
    lunar_to_gregorian,
    solar_to_gregorian,
    to_gregorian,
)


def test_solar_hijri_days_in_news():
    assert solar_to_gregorian(1398, 12, 10) == dt.date(2020, 2, 29)  # the Doha agreement, 10 Hut 1398
    assert solar_to_gregorian(1400, 5, 24) == dt.date(2021, 8, 15)  # the fall of Kabul, 24 Asad 1400
    assert solar_to_gregorian(1399, 8, 7) == dt.date(2020, 10, 28)


def test_nowruz_is_the_first_of_hamal():
    assert solar_to_gregorian(1399, 1, 1) == dt.date(2020, 3, 20)
    assert solar_to_gregorian(1400, 1, 1) == dt.date(2021, 3, 21)
    assert calendars.gregorian_to_solar(dt.date(2021, 3, 20)) == (1399, 12, 30)


def test_hut_30_exists_only_in_leap_years():
    assert solar_to_gregorian(1399, 12, 30) == dt.date(2021, 3, 20)  # 1399 is a leap year
    assert solar_to_gregorian(1398, 12, 30) is None
    assert solar_to_gregorian(1399, 7, 31) is None  # Mizan has 30 days


def test_hijri_lunar_days_and_month_ends():
    assert lunar_to_gregorian(1441, 10, 1) == dt.date(2020, 5, 24)  # Eid al-Fitr 1441
    assert lunar_to_gregorian(1439, 10, 2) == dt.date(2018, 6, 16)
    assert lunar_to_gregorian(1441, 9, 30) == dt.date(2020, 5, 23)  # Ramadan 1441 had 30 days
    assert lunar_to_gregorian(1441, 10, 30) is None  # Shawwal 1441 had 29
    assert lunar_to_gregorian(1600, 1, 1) is None  # beyond the tables


def test_one_entry_for_the_three_calendars():
    assert to_gregorian(SOLAR, 1400, 5, 24) == dt.date(2021, 8, 15)
    assert to_gregorian(LUNAR, 1441, 10, 1) == dt.date(2020, 5, 24)
    assert to_gregorian("gregorian", 2021, 2, 29) is None


@pytest.mark.parametrize(
    ("name", "month"),
    [
        ("حمل", 1), ("سنبله", 6), ("عقرب", 8), ("قوس", 9), ("دلو", 11), ("حوت", 12),  # Dari
        ("وری", 1), ("غبرګولی", 3), ("چنګاښ", 4), ("زمري", 5), ("وږي", 6), ("تلې", 7), ("لړم", 8),
        ("لیندۍ", 9), ("مرغومی", 10), ("سلواغې", 11), ("کب", 12),  # Pashto, with oblique forms
        ("فروردین", 1), ("بهمن", 11), ("اسفند", 12),  # Iranian
    ],
)
def test_solar_month_names(name, month):
    assert SOLAR_MONTHS[compact(name)] == month


@pytest.mark.parametrize(
    ("name", "month"),
    [("محرم", 1), ("ربیع الاول", 3), ("ربیع‌الثانی", 4), ("رمضان", 9), ("شوال", 10), ("ذوالحجه", 12), ("ذی‌القعده", 11)],
)
def test_hijri_month_names_with_or_without_their_space(name, month):
    assert LUNAR_MONTHS[compact(name)] == month


@pytest.mark.parametrize(
    ("name", "month"),
    [("جنوری", 1), ("فبروری", 2), ("فروری", 2), ("مارچ", 3), ("مئی", 5), ("اگست", 8), ("ستمبر", 9),
     ("سپتمبر", 9), ("ژانویه", 1), ("دسامبر", 12)],
)
def test_gregorian_months_as_dari_pashto_urdu_and_iranian_write_them(name, month):
    assert GREGORIAN_MONTHS[compact(name)] == month


def test_arabic_letter_forms_are_one_spelling():
    assert SOLAR_MONTHS[compact("سنبلة")] == 6  # teh marbuta
    assert WEEKDAYS[compact("يكشنبه")] == 6  # Arabic yeh and kaf


@pytest.mark.parametrize(
    ("name", "weekday"),
    [("شنبه", 5), ("یکشنبه", 6), ("دوشنبه", 0), ("سه‌شنبه", 1), ("سه شنبه", 1), ("چهارشنبه", 2), ("پنجشنبه", 3),
     ("جمعه", 4), ("دوشنبې", 0), ("شنبې", 5), ("پیر", 0), ("منگل", 1), ("بدھ", 2), ("جمعرات", 3), ("جمعے", 4),
     ("ہفتے", 5), ("اتوار", 6)],
)
def test_weekday_names(name, weekday):
    assert WEEKDAYS[compact(name)] == weekday


def test_days_written_as_ordinal_words():
    assert ORDINAL_DAYS[compact("اول")] == 1  # 'اول شوال'
    assert ORDINAL_DAYS[compact("یکم")] == 1  # 'یکم نومبر'
    assert ORDINAL_DAYS[compact("دویمه")] == 2  # 'د شوال دویمه'
    assert ORDINAL_DAYS[compact("شلمې")] == 20  # 'د کب تر شلمې'
