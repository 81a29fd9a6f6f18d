"""The calendars Dari, Pashto and Urdu news write dates in, and their words.

Afghan outlets date by the Solar Hijri year with the zodiac month names (Dari حمل … حوت, Pashto
وری … کب), Iranian ones by the same calendar with the Persian month names (فروردین … اسفند),
religious days by the Hijri lunar calendar (اول شوال), and Pakistani outlets by the Gregorian one
written in Urdu (جنوری … دسمبر). The arithmetic is the libraries': jdatetime for the Solar Hijri
calendar (the 33-year leap rule Iran and Afghanistan use) and hijridate for the Hijri lunar one
(the Umm al-Qura tables; a local moon sighting may put a month's first day one day later). What
is written here are the word tables no library has for these languages.

Every name is kept in its letters unified by `normalize.unify_letters` (ي and ی, ك and ک, ې and ی
are one letter there), since the date finder reads the unified text.
"""

from __future__ import annotations

import datetime as dt
import re

import jdatetime
from hijridate import Gregorian, Hijri

from articles.text.normalize import unify_letters

SOLAR = "solar"
LUNAR = "lunar"
GREGORIAN = "gregorian"

CALENDAR_NAMES = {SOLAR: "Solar Hijri", LUNAR: "Hijri lunar", GREGORIAN: "Gregorian"}


def compact(word: str) -> str:
    """A name in unified letters without its inner spaces or joiners: 'ذی القعده', 'ذی‌القعده' and
    'ذیالقعده' are one key."""
    return "".join(unify_letters(word).replace("\u200c", " ").replace("_", " ").split())


def _table(names: dict[int, str]) -> dict[str, int]:
    """Number by each spelling (space-separated; '_' or a joiner inside one stands for an optional
    space), as `compact` keys."""
    return {compact(spelling): number for number, spellings in names.items() for spelling in spellings.split()}


def _pattern(names: dict[int, str]) -> str:
    """A regular expression for every spelling of a table, longest first, a space or a joiner
    (or nothing) allowed where the spelling has one ('ذی‌القعده', 'ذی القعده', 'ذیالقعده')."""
    spellings = {
        re.escape(unify_letters(s)).replace("\u200c", "[\\s\u200c]?").replace("_", "[\\s\u200c]?")
        for spellings in names.values() for s in spellings.split()
    }
    return "|".join(sorted(spellings, key=len, reverse=True))


# Solar Hijri months: Afghan Dari (zodiac), Pashto (with the spellings and oblique forms news use,
# 'د سلواغې ۱۶مه'), Iranian Persian.
_SOLAR_MONTHS_SPELLINGS = {
    1: "حمل وری فروردین",
    2: "ثور غویی غوایی اردیبهشت",
    3: "جوزا جوزاء غبرگولی غبرګولی غبرګولي خرداد",
    4: "سرطان چنګاښ چنگاښ تیر",
    5: "اسد زمری زمري مرداد",
    6: "سنبله وږی وږي شهریور",
    7: "میزان تله تلې تلی مهر",
    8: "عقرب لړم آبان",
    9: "قوس لیندۍ لیندی لیندئ آذر",
    10: "جدی مرغومی مرغومي دی",
    11: "دلو سلواغه سلواغې سلواغی بهمن",
    12: "حوت کب اسفند",
}
SOLAR_MONTHS = _table(_SOLAR_MONTHS_SPELLINGS)
SOLAR_MONTHS_PATTERN = _pattern(_SOLAR_MONTHS_SPELLINGS)
# Month names that are also common words ('دی' is Pashto 'is', 'تیر' an arrow, 'مهر' a seal, 'تله'
# a scale): a date with one of them needs its year, or 'ماه' before the month.
AMBIGUOUS_MONTHS = {compact(w) for w in ("دی", "تیر", "مهر", "می", "مه", "تله", "صفر")}

# Hijri lunar months, with and without the article's space or joiner ('ربیع‌الاول', 'ذی القعده').
_LUNAR_MONTHS_SPELLINGS = {
    1: "محرم محرم‌الحرام",
    2: "صفر",
    3: "ربیع‌الاول ربیع‌الأول ربیع_الاول",
    4: "ربیع‌الثانی ربیع‌الآخر ربیع_الثانی",
    5: "جمادی‌الاول جمادی‌الاولی جمادی‌الأولى جمادی_الاول",
    6: "جمادی‌الثانی جمادی‌الآخر جمادی‌الآخره جمادی‌الثانیه جمادی_الثانی",
    7: "رجب",
    8: "شعبان",
    9: "رمضان",
    10: "شوال",
    11: "ذوالقعده ذی‌القعده ذیقعده ذوالقعدہ",
    12: "ذوالحجه ذی‌الحجه ذیحجه ذوالحجہ",
}
LUNAR_MONTHS = _table(_LUNAR_MONTHS_SPELLINGS)
LUNAR_MONTHS_PATTERN = _pattern(_LUNAR_MONTHS_SPELLINGS)

# Gregorian months as Afghan Dari and Pashto (جنوری، فبروری), Urdu (فروری، مئی) and Iranian
# Persian (ژانویه، فوریه) write them.
_GREGORIAN_MONTHS_SPELLINGS = {
    1: "جنوری جنورى ژانویه",
    2: "فبروری فروری فیبروری فوریه",
    3: "مارچ مارس",
    4: "اپریل اپریل آوریل",
    5: "می مئی مه",
    6: "جون ژوئن",
    7: "جولای جولائی جولائی ژوئیه",
    8: "اگست آگست اګست اوت",
    9: "سپتمبر ستمبر سپتامبر",
    10: "اکتوبر اکتبر",
    11: "نومبر نوامبر",
    12: "دسمبر دسامبر",
}
GREGORIAN_MONTHS = _table(_GREGORIAN_MONTHS_SPELLINGS)
GREGORIAN_MONTHS_PATTERN = _pattern(_GREGORIAN_MONTHS_SPELLINGS)

# Weekdays (Monday 0 as Python counts), Dari, Pashto (and its oblique 'د دوشنبې په ورځ'), Urdu.
_WEEKDAYS_SPELLINGS = {
    0: "دوشنبه دوشنبې دوشنبی پیر سوموار",
    1: "سه‌شنبه سه‌شنبې سه_شنبه سه_شنبې سشنبه درېشنبه درېشنبې منگل",
    2: "چهارشنبه چهارشنبې چارشنبه چارشنبې بدھ",
    3: "پنجشنبه پنج‌شنبه پنجشنبې پنج_شنبه جمعرات",
    4: "جمعه جمعې جمعہ جمعے",
    5: "شنبه شنبې ہفتہ ہفتے سنیچر",
    6: "یکشنبه یک‌شنبه یکشنبې یک_شنبه اتوار",
}
WEEKDAYS = _table(_WEEKDAYS_SPELLINGS)
WEEKDAYS_PATTERN = _pattern(_WEEKDAYS_SPELLINGS)
# The weekday names that are also other words in Urdu ('پیر' a saint, 'ہفتہ' a week, 'بدھ' the
# Buddha): a weekday only with a postposition after it ('پیر کو', 'ہفتے کے روز').
URDU_WEEKDAYS = {compact(w) for w in ("پیر", "سوموار", "منگل", "بدھ", "جمعرات", "ہفتہ", "ہفتے", "سنیچر", "اتوار", "جمعے", "جمعہ")}

# Days written as ordinal words: Dari 'اول شوال', Urdu 'یکم نومبر', Pashto 'د شوال دویمه', 'د کب تر شلمې'.
_ORDINAL_DAYS_SPELLINGS = {
    1: "اول یکم لومړۍ لومړی لومړئ",
    2: "دوم دویمه دوهمه دویمې دوهمې",
    3: "سوم درېیمه دریمه درېیمې دریمې",
    4: "چهارم څلورمه څلورمې",
    5: "پنجم پنځمه پنځمې",
    10: "دهم لسمه لسمې",
    20: "بیستم شلمه شلمې",
    30: "سی‌ام دېرشمه دېرشمې",
}
ORDINAL_DAYS = _table(_ORDINAL_DAYS_SPELLINGS)
ORDINAL_DAYS_PATTERN = _pattern(_ORDINAL_DAYS_SPELLINGS)


def solar_to_gregorian(year: int, month: int, day: int) -> dt.date | None:
    """The Gregorian day of a Solar Hijri one, or None when there is no such day (31 Mizan, 30 Hut
    of a common year)."""
    try:
        return jdatetime.date(year, month, day).togregorian()
    except ValueError:
        return None


def gregorian_to_solar(day: dt.date) -> tuple[int, int, int]:
    solar = jdatetime.date.fromgregorian(date=day)
    return solar.year, solar.month, solar.day


def lunar_to_gregorian(year: int, month: int, day: int) -> dt.date | None:
    """The Gregorian day of a Hijri lunar one by the Umm al-Qura tables, or None outside them
    (1343-1500 AH) or for a day the month does not have (30 of a 29-day month)."""
    try:
        return dt.date(*Hijri(year, month, day).to_gregorian().datetuple())
    except (ValueError, OverflowError):
        return None


def gregorian_to_lunar(day: dt.date) -> tuple[int, int, int] | None:
    try:
        return Gregorian.fromdate(day).to_hijri().datetuple()
    except (ValueError, OverflowError):
        return None


def to_gregorian(calendar: str, year: int, month: int, day: int) -> dt.date | None:
    """A day of any of the three calendars as a Gregorian date, or None when it does not exist."""
    if calendar == SOLAR:
        return solar_to_gregorian(year, month, day)
    if calendar == LUNAR:
        return lunar_to_gregorian(year, month, day)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def calendar_year_of(calendar: str, day: dt.date) -> int:
    """The year of `day` in a calendar: 1399 for 2020-09-12 in the Solar Hijri one."""
    if calendar == SOLAR:
        return gregorian_to_solar(day)[0]
    if calendar == LUNAR:
        lunar = gregorian_to_lunar(day)
        return lunar[0] if lunar else 0
    return day.year
