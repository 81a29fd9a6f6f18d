"""Dates as Dari, Pashto and Urdu news write them, as the same DateMentions English dates give.

Found on the text with its letters and digits unified (`unify_letters`: same length, so offsets
hold), with one regular expression:
- a day, a month and maybe a year, in the Solar Hijri, Hijri lunar or Gregorian calendar, the
  day before the month ('۷ عقرب ۱۳۹۹', 'اول شوال ۱۴۴۱', '۱۵ اگست ۲۰۲۱', 'یکم نومبر') or, in
  Pashto, after it ('د کب ۱۰مه', 'د ۱۴۳۹ کال د شوال دویمه', 'د کب تر شلمې');
- a Gregorian month with its year or with 'میں' ('اگست ۲۰۲۱', 'اگست میں'): a Solar Hijri
  month alone straddles two Gregorian months, so it dates nothing;
- weekdays ('روز شنبه', 'د دوشنبې په ورځ', 'پیر کو', 'گزشتہ بدھ');
- relative words ('دیروز', 'امروز', 'دیشب', 'پرون', 'نن', 'سبا', 'آج', 'کل', 'دو روز پیش').

A day with its year is converted at once (kind 'full', Gregorian values, its `calendar` kept
for the evidence); one without keeps its calendar's month and day, and `dates.resolve` picks the
year from the publication day with the English rules. These languages put the verb last, so the
tense of a date is read from its clause, mostly the words after it ('... کابل ته به ولاړ
شي', 'ملاقات کریں گے', 'سفر خواهد کرد'); the word before it gives the modifier the English
rules know ('تا', 'تر', 'تک' until; 'از' since; 'گذشته' last; 'آینده' next).

Urdu 'کل' is yesterday or tomorrow: the tense of its clause decides.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from articles.text import calendars
from articles.text.calendars import GREGORIAN, LUNAR, SOLAR, compact
from articles.text.normalize import unify_letters

from .dates import DateMention

# Arabic-script letters and marks, not its punctuation (the comma ، is U+060C).
_L = "\u0621-\u065f\u066e-\u06d3\u06d5\u06fa-\u06ff"
_START = rf"(?<![{_L}\w])"
_END = rf"(?![{_L}\u200c\w])"
_SP = r"[\s\u200c]+"
_SEP = r"[\s\u200c،,]+"
_DAY_SUFFIX = r"(?:\s?(?:مه|می|ام|م|ه)(?![" + _L + r"]))?"

# Relative days: offset from the publication day.
_RELATIVE_DAYS = {
    "امروز": 0, "امشب": 0, "دیروز": -1, "دیشب": -1, "پریروز": -2, "پریشب": -2, "فردا": 1,
    "نن": 0, "پرون": -1, "پرونی": -1, "سبا": 1,
    "اج": 0, "گزشته روز": -1, "گزشته شب": -1,
}
# Urdu 'کل' (yesterday or tomorrow) and 'پرسوں' (two days either way): the clause's tense decides.
_EITHER_WAY = {"کل": 1, "پرسون": 2}
_RELATIVE_YEARS = {"پرسژ": -1, "پروسژ": -1, "سژکال": 0, "سژ کال": 0, "امسال": 0, "پارسال": -1}
_RELATIVE_PERIODS = {
    # (unit, step): 'هفته گذشته' last week, 'رواں ماہ' this month, 'تیره اونی' last week.
    "هفته گذشته": ("week", -1), "هفته پیش": ("week", -1), "هفته اینده": ("week", 1), "هفته جاری": ("week", 0),
    "ماه گذشته": ("month", -1), "ماه اینده": ("month", 1), "ماه جاری": ("month", 0),
    "گزشته هفتی": ("week", -1), "گزشته هفته": ("week", -1), "اینده هفتی": ("week", 1), "اگلی هفتی": ("week", 1),
    "گزشته ماه": ("month", -1), "روان ماه": ("month", 0), "اینده ماه": ("month", 1), "اگلی ماه": ("month", 1),
    "تیره اونی": ("week", -1), "راتلونکی اونی": ("week", 1), "تیره میاشت": ("month", -1), "راتلونکی میاشت": ("month", 1),
}
_NUMBERS = {
    "یک": 1, "دو": 2, "سه": 3, "چهار": 4, "پنج": 5, "شش": 6, "هفت": 7, "هشت": 8, "نه": 9, "ده": 10,
    "یو": 1, "دوه": 2, "دری": 3, "سلور": 4, "پنزه": 5, "ایک": 1, "تین": 3, "چار": 4, "پانچ": 5,
}
_UNITS = {
    "روز": "day", "هفته": "week", "ماه": "month", "سال": "year", "ورزی": "day", "ورز": "day", "اونی": "week",
    "میاشتی": "month", "کاله": "year", "دن": "day", "هفتی": "week", "مهینی": "month",
}
_AGO = "پیش|قبل|مخکی|وراندی|پهلی"

# Words before a date, as the English modifier the date rules know.
_MODIFIERS = {
    "تا": "until", "تر": "until", "از": "since", "گذشته": "last", "گزشته": "last", "تیره": "last", "پچهلی": "last",
    "اینده": "next", "اگلی": "next", "راتلونکی": "next", "در": "in", "روز": "on", "په": "on",
}
# ... or after it: 'یکم نومبر تک' (until), 'له ... راهیسی' (since), 'شنبه گذشته' (last).
_MODIFIERS_AFTER = re.compile(r"[\s\u200c،,)]*(?P<word>تک|راهیسی|راهیسې|پوری|گذشته|اینده|سے|تیره)(?![" + _L + r"])")

# What makes a date's clause future, by language (the verb comes last): Dari 'خواهد', 'قرار است';
# Pashto the particle 'به' and 'ده چی'; Urdu 'گا', 'گی', 'گے'; in all three 'next' words.
_FUTURE = {
    "fa": r"خواهد|خواهند|قرار[\s\u200c]+(?:است|اس)|اینده|پس[\s\u200c]*فردا|فردا",
    "ps": r"به|ده[\s\u200c]+چی|راتلونکی|سبا",
    "ur": r"گا|گی|گیں|اینده|اگلی|متوقع",
}
_CLAUSE_END = re.compile(r"[.!?؟؛;\n]|،\s*(?:که|چی|کہ|جبکہ|و)\s|\s(?:که|چی|کہ)\s")
_PASHTO_LETTERS = re.compile("[ښځڅډړږګڼټېۍ]")
_URDU_LETTERS = re.compile("[ےۓہھںٹڈڑ]")


def language_of(text: str) -> str:
    """'ps', 'ur' or 'fa', by the letters only one of them writes (Pashto's ښ ځ څ ډ ړ ږ ګ, Urdu's
    ے ہ ھ ں ٹ ڈ ڑ); the first few thousand characters tell."""
    head = text[:3000]
    pashto, urdu = len(_PASHTO_LETTERS.findall(head)), len(_URDU_LETTERS.findall(head))
    if pashto == urdu == 0:
        return "fa"
    return "ps" if pashto >= urdu else "ur"


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    solar, lunar, gregorian = calendars.SOLAR_MONTHS_PATTERN, calendars.LUNAR_MONTHS_PATTERN, calendars.GREGORIAN_MONTHS_PATTERN
    months = f"{solar}|{lunar}|{gregorian}"
    ordinal = calendars.ORDINAL_DAYS_PATTERN
    weekday = calendars.WEEKDAYS_PATTERN
    relative = "|".join(sorted((re.escape(w).replace(r"\ ", _SP) for w in [*_RELATIVE_DAYS, *_EITHER_WAY]), key=len, reverse=True))
    years = "|".join(re.escape(w).replace(r"\ ", _SP) for w in _RELATIVE_YEARS)
    periods = "|".join(re.escape(w).replace(r"\ ", _SP) for w in _RELATIVE_PERIODS)
    numbers = "|".join(_NUMBERS)
    units = "|".join(sorted(_UNITS, key=len, reverse=True))
    return re.compile(
        # Pashto, month first: 'د کب ۱۱مه', 'د غبرګولي په ۱۹مه', 'د ۱۴۳۹ سپوږمیز کال د شوال دویمه', 'د کب تر شلمې'
        rf"{_START}د{_SP}(?:(?P<p_y>1[34]\d\d|20\d\d){_SP}(?:[{_L}]+{_SP}){{0,2}}?کال{_SP}د{_SP})?"
        rf"(?P<p_m>{months}){_SP}(?:(?:(?P<p_until>تر)|په){_SP})?(?:(?P<p_d>[0-3]?\d){_DAY_SUFFIX}|(?P<p_o>{ordinal}){_END})"
        # day first: '۷ عقرب ۱۳۹۹', 'اول شوال ۱۴۴۱', '۱۵ اگست ۲۰۲۱', '۲۹ قوس (آذر)', 'یکم نومبر'
        rf"|(?:(?<![\d/.:-])(?P<d>[0-3]?\d){_DAY_SUFFIX}|{_START}(?P<o>{ordinal}))[\s\u200c]*(?:ماه{_SP})?"
        rf"(?P<m>{months}){_END}(?:{_SEP}(?:سال{_SP})?(?P<y>1[34]\d\d|19\d\d|20\d\d)(?!\d))?"
        # a Gregorian month with its year or 'میں': 'اگست ۲۰۲۱', 'اگست میں'
        rf"|{_START}(?P<my_m>{gregorian}){_END}(?:{_SP}(?P<my_y>19\d\d|20\d\d)(?!\d)|(?={_SP}مین{_END}))"
        # relative: 'دو روز پیش', 'دیروز', 'پرون', 'هفته گذشته'
        rf"|{_START}(?P<n>\d{{1,2}}|{numbers}){_SP}(?P<u>{units}){_SP}(?:(?:[{_L}]+){_SP})?(?P<ago>{_AGO}){_END}"
        rf"|{_START}(?P<period>{periods}){_END}"
        rf"|{_START}(?P<ry>{years}){_END}"
        rf"|{_START}(?P<rel>{relative}){_END}"
        # weekdays
        rf"|{_START}(?P<wd>{weekday}){_END}"
    )


_URDU_WEEKDAY_AFTER = re.compile(r"[\s\u200c]*(?:کو|کی|کی[\s\u200c]+(?:روز|دن)|کی[\s\u200c]+(?:صبح|شام|رات|سه[\s\u200c]*پهر|دوپهر)|،?\s*\d)(?![" + _L + "])")
_NOT_A_WEEKDAY_BEFORE = re.compile(r"(?:نماز|هر|ہر)[\s\u200c]*$")
_PREVIOUS_WORD = re.compile(rf"([{_L}]+)[\s\u200c،,(]*$")
_MONTH_WORD = re.compile(r"ماه[\s\u200c]*$")


def find_native_dates(text: str, spans: list[tuple[int, int]] | None = None) -> list[DateMention]:
    """Every Dari, Pashto or Urdu date expression of `text` (the original text, not unified)."""
    unified = unify_letters(text)
    language = language_of(text)
    future = re.compile(rf"(?<![{_L}])(?:{_FUTURE[language]})(?![{_L}])")
    mentions: list[DateMention] = []
    for match in _pattern().finditer(unified):
        values = _values(match, unified, language)
        if values is None:
            continue
        start, end = match.start(), match.end()
        previous = _PREVIOUS_WORD.search(unified, max(0, start - 20), start)
        modifier = _MODIFIERS.get(previous.group(1), "") if previous else ""
        following = _MODIFIERS_AFTER.match(unified, end)
        if following:
            modifier = {"تک": "until", "پوری": "until", "راهیسی": "since", "راهیسې": "since", "سے": "since",
                        "گذشته": "last", "تیره": "last", "اینده": "next"}[following.group("word")]
        if match.group("p_until"):
            modifier = "until"
        if values.get("kind") == "weekday" and values.get("_modifier"):
            modifier = values.pop("_modifier")
        values.pop("_modifier", None)
        clause = _CLAUSE_END.search(unified, end)
        clause_end = clause.start() if clause else len(unified)
        ahead = unified[end:min(clause_end, end + 160)]
        opening = max(start - 60, 0)
        behind = unified[opening:start]
        boundary = list(_CLAUSE_END.finditer(behind))
        if boundary:
            behind = behind[boundary[-1].end():]
        is_future = modifier == "next" or (
            modifier not in ("last", "since") and bool(future.search(ahead) or future.search(behind))
        )
        tense = "future" if is_future else ("near" if modifier == "until" else "past")
        if values.get("kind") == "relative" and values["relative"].startswith("either "):
            days = int(values["relative"].split()[1])
            values["relative"] = _day_offset(days if is_future else -days)
        mentions.append(DateMention(start, end, modifier=modifier, tense=tense, **values))
    return _glossed(_lunar_by_weekday(mentions), unified)


_GLOSS_GAP = re.compile(r"[\s\u200c]*\([\s\u200c]*(?:د[\s\u200c]+)?$")


def _glossed(mentions: list[DateMention], unified: str) -> list[DateMention]:
    """'تا ۱۹ حوت (۱۰ مارچ)': a Gregorian day in brackets after a Solar Hijri or lunar one glosses it;
    the writer converted from it, so it is the day, and it takes the words around the first
    ('تا': until). The first is dropped, so the two never stand as two days."""
    kept: list[DateMention] = []
    for mention in mentions:
        first = kept[-1] if kept else None
        if (
            first is not None and first.calendar in (SOLAR, LUNAR) and not mention.calendar
            and mention.kind in ("full", "month_day") and _GLOSS_GAP.search(unified, first.end, mention.start)
        ):
            kept[-1] = DateMention(
                mention.start, mention.end, mention.kind, mention.year, mention.month, mention.day,
                modifier=first.modifier or mention.modifier, tense=first.tense,
            )
            continue
        kept.append(mention)
    return kept


def _day_offset(days: int) -> str:
    return {0: "today", -1: "yesterday", 1: "tomorrow"}.get(days, f"{abs(days)} day {'ago' if days < 0 else 'later'}")


def _calendar_of(month: str) -> tuple[str, int]:
    key = compact(month)
    for calendar, table in ((SOLAR, calendars.SOLAR_MONTHS), (LUNAR, calendars.LUNAR_MONTHS), (GREGORIAN, calendars.GREGORIAN_MONTHS)):
        if key in table:
            return calendar, table[key]
    raise KeyError(month)


def _values(match: re.Match, unified: str, language: str) -> dict | None:
    g = match.groupdict()
    month_name = g["p_m"] or g["m"]
    if month_name:
        calendar, month = _calendar_of(month_name)
        day = int(g["p_d"] or g["d"] or 0) or calendars.ORDINAL_DAYS.get(compact(g["p_o"] or g["o"] or ""), 0)
        year = int(g["p_y"] or g["y"] or 0) or None
        if not 1 <= day <= 31:
            return None
        if year is not None and not _year_fits(calendar, year):
            return None
        if year is None and compact(month_name) in calendars.AMBIGUOUS_MONTHS and not _MONTH_WORD.search(unified, max(0, match.start("m" if g["m"] else "p_m") - 8), match.start("m" if g["m"] else "p_m")):
            return None
        if year is not None:
            found = calendars.to_gregorian(calendar, year, month, day)
            if found is None:
                return None
            return {
                "kind": "full", "year": found.year, "month": found.month, "day": found.day,
                "calendar": "" if calendar == GREGORIAN else calendar,
            }
        return {"kind": "month_day", "month": month, "day": day, "calendar": "" if calendar == GREGORIAN else calendar}
    if g["my_m"]:
        month = calendars.GREGORIAN_MONTHS[compact(g["my_m"])]
        if g["my_y"]:
            return {"kind": "month_year", "year": int(g["my_y"]), "month": month}
        return {"kind": "month", "month": month, "_modifier": "in"}
    if g["ago"]:
        number = g["n"]
        count = int(number) if number.isdigit() else _NUMBERS[number]
        return {"kind": "relative", "relative": f"{count} {_UNITS[g['u']]} ago"}
    if g["period"]:
        unit, step = _RELATIVE_PERIODS[" ".join(g["period"].replace("\u200c", " ").split())]
        return {"kind": "relative", "relative": f"{ {-1: 'last', 0: 'this', 1: 'next'}[step]} {unit}"}
    if g["ry"]:
        step = _RELATIVE_YEARS[" ".join(g["ry"].replace("\u200c", " ").split())]
        return {"kind": "relative", "relative": f"{ {-1: 'last', 0: 'this'}[step]} year"}
    if g["rel"]:
        word = " ".join(g["rel"].replace("\u200c", " ").split())
        if word in _EITHER_WAY:
            if language != "ur":
                return None
            return {"kind": "relative", "relative": f"either {_EITHER_WAY[word]}"}
        if word == "اج" and language != "ur":
            return None
        return {"kind": "relative", "relative": _day_offset(_RELATIVE_DAYS[word])}
    if g["wd"]:
        key = compact(g["wd"])
        if _NOT_A_WEEKDAY_BEFORE.search(unified, max(0, match.start() - 8), match.start()):
            return None
        urdu_only = key in calendars.URDU_WEEKDAYS and key not in {compact("جمعه")}
        before = _PREVIOUS_WORD.search(unified, max(0, match.start() - 20), match.start())
        step = _MODIFIERS.get(before.group(1), "") if before else ""
        if (urdu_only or language == "ur") and step not in ("last", "next") and not _URDU_WEEKDAY_AFTER.match(unified, match.end()):
            return None
        return {"kind": "weekday", "weekday": calendars.WEEKDAYS[key]}
    return None


def _year_fits(calendar: str, year: int) -> bool:
    return (1300 <= year <= 1499) if calendar in (SOLAR, LUNAR) else (1900 <= year <= 2099)


def _lunar_by_weekday(mentions: list[DateMention]) -> list[DateMention]:
    """A Hijri lunar day written with its weekday ('یکشنبه، اول شوال ۱۴۴۱') is the day of that
    weekday when the tables put it one day off: the month began on a local sighting."""
    fixed = list(mentions)
    for number, mention in enumerate(mentions):
        if mention.kind != "full" or mention.calendar != LUNAR or number == 0:
            continue
        before = mentions[number - 1]
        if before.kind != "weekday" or mention.start - before.end > 40:
            continue
        day = dt.date(mention.year, mention.month, mention.day)
        for shift in (1, -1):
            moved = day + dt.timedelta(days=shift)
            if day.weekday() != before.weekday and moved.weekday() == before.weekday:
                fixed[number] = DateMention(
                    mention.start, mention.end, "full", moved.year, moved.month, moved.day, modifier=mention.modifier,
                    tense=mention.tense, calendar=LUNAR,
                )
    return fixed


# 'دوحه (پژواک، ۱۰ حوت ۱۳۹۸): ', 'اسلام آباد (۱۶ اگست) ', '۸صبح، کابل: ', 'اسلام آباد: ہفتہ ۴ ستمبر
# ۲۰۲۱ (قصہ خوانی نیوز) ': a place and an outlet or a date in brackets, or before a colon, opening
# the first line.
_BRACKETED_DATELINE = re.compile(
    r"\s*[^\n.؟!:()]{1,40}(?::\s*(?=[^\n()]{0,40}\d)[^\n.؟!:()]{0,40}?\([^\n()]{1,60}\)|\([^\n()]{1,60}\)\s*:?|:)\s"
)
# 'دوحه – شنبه، ۲۲ سنبله ۱۳۹۹' alone on the first line.
_LINE_DATELINE = re.compile(r"\s*[^\n.؟!]{1,70}\n")


def dateline_end(text: str) -> int:
    """Where the dateline of a Dari, Pashto or Urdu text ends (0 when it has none): the bracketed or
    colon-ended opening of its first line, or a first line too short to be a sentence."""
    match = _LINE_DATELINE.match(text) or _BRACKETED_DATELINE.match(text)
    return match.end() if match else 0
