"""Dates in a news text: found with one regular expression, resolved against the publication day.

Expressions: '8 March 2021', 'March 8', 'May 1st', 'on 10 March', 'in March', 'March 2021',
'in 2020', 'on Monday', 'late Monday', 'last week', 'next month', 'two days ago', 'yesterday'.
Each resolves to a day and a precision (day, month, year, or approximate for 'last week').

Why not dateparser: it parses a string it is given but does not find dates in running text, and
its search mode costs milliseconds per article; tagging must stay near a millisecond in all.

When the publication day is not given it is settled from the dateline or the text (see
`settle_publication`): the year from dated roles ('Secretary of State Antony Blinken' was written
after 26 January 2021), stated years and the fetch, confirmed by weekdays ('on Monday' and 'March
8' agree in 2021), then the day after the latest past day reported; undated rather than wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from articles.models import DatePrecision
from articles.text.lexicon import MONTHS, NUMBER_WORDS, WEEKDAYS

_MONTH_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_MONTH_ANY = _MONTH_FULL[:-1] + r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
_YEAR = r"(?:19|20)\d\d"
_DAY = r"[0-3]?\d"
_UNITS = "|".join(NUMBER_WORDS)

DATE_PATTERN = re.compile(
    rf"\b(?P<iso>{_YEAR}-[01]\d-[0-3]\d)\b"
    rf"|\b(?P<md_m>{_MONTH_ANY})\s+(?P<md_d>{_DAY})(?:st|nd|rd|th)?\b(?:,?\s+(?P<md_y>{_YEAR})\b)?"
    rf"|\b(?P<dm_d>{_DAY})(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<dm_m>{_MONTH_ANY})(?:,?\s+(?P<dm_y>{_YEAR})\b)?"
    rf"|\b(?P<my_m>{_MONTH_FULL}),?\s+(?:of\s+)?(?P<my_y>{_YEAR})\b"
    rf"|\b(?P<m_pre>(?i:in|by|until|till|since|from|early|late|mid|end of|last|next|this|during|before|after))[\s-]+(?P<m_m>{_MONTH_FULL})\b(?![\s,]*\d)"
    r"|\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"|\b(?P<rel>(?i:today|yesterday|tomorrow|tonight"
    r"|(?:the|a)\s+day\s+(?:before|earlier|later|after)|the\s+(?:previous|next|following)\s+day|the\s+night\s+before"
    r"|(?:this|last|next|past|previous|coming)\s+(?:week|month|year)"
    r"|(?:earlier|later)\s+(?:this|in\s+the)\s+(?:week|month|year)"
    rf"|(?P<rel_n>\d{{1,2}}|{_UNITS})\s+(?P<rel_u>days?|weeks?|months?|years?)\s+(?P<rel_dir>ago|after|before)"
    r"|(?P<rel_some>days|weeks)\s+(?:after|before)))\b"
    rf"|\b(?P<y_pre>(?i:in|since|by|until|from|during|early|late|mid|throughout))[\s-]+(?P<y>{_YEAR})\b(?![-/]\d)"
)

_FUTURE = re.compile(
    r"\b(?:will|shall|is to|are to|due to|expected to|plans? to|planning to|scheduled|set to|going to|"
    r"deadline|to be held|upcoming|intends? to|would|will)\b",
    re.IGNORECASE,
)
_TENSE_BEFORE, _TENSE_AFTER = 60, 15
_REPORTED_ON = re.compile(
    r"\b(?:said|told|announced|wrote|added|confirmed|declared)\b(?:\s+[\w'’-]+){0,4}?\s+(?:late\s+|early\s+)?on\s*$",
    re.IGNORECASE,
)
# An expression may start a few words before its anchor: "29th of March", "earlier this month".
_WORDS_BEFORE, _WINDOW_BEFORE = 3, 24
_YEAR = re.compile(r"(?:19|20)\d\d")
# A day that names an event of another year: 'the 11 September attacks'.
_NAMED_DAY = re.compile(r"\s+(?:attacks?|anniversary|bombings?)\b", re.IGNORECASE)
_PREVIOUS_WORDS = re.compile(r"([A-Za-z]+)\W{0,3}$")
_FUTURE_MODIFIERS = {"next", "coming"}
_DEADLINE_MODIFIERS = {"by", "until", "till", "before"}  # the nearest such day, ahead or behind
_PAST_MODIFIERS = {"last", "since", "past", "previous", "earlier", "late"}


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    kind: str  # full | month_day | month_year | month | year | weekday | relative
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    relative: str = ""  # folded relative expression, or "<n> <unit> ago|later"
    modifier: str = ""  # the folded word before the expression ('on', 'by', 'last', 'late'...)
    tense: str = "past"  # future | past | near: how the words around it place it against the publication day
    # The calendar it was written in: "" Gregorian, "solar" (Solar Hijri) or "lunar" (Hijri). A
    # 'full' day is always stored as its Gregorian day; a 'month_day' keeps its calendar's month.
    calendar: str = ""

    @property
    def future(self) -> bool:
        return self.tense == "future"


@dataclass(frozen=True, slots=True)
class ResolvedDate:
    day: dt.date
    precision: str  # a DatePrecision value

    def key(self) -> str:
        """The date as far as its precision goes: '2021-03-08', '2021-03' or '2021'."""
        if self.precision == DatePrecision.YEAR:
            return f"{self.day.year}"
        if self.precision == DatePrecision.MONTH:
            return f"{self.day.year}-{self.day.month:02d}"
        return self.day.isoformat()


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _word_starts_before(text: str, position: int, count: int) -> list[int]:
    """The starts of up to `count` words before `position`, nearest last."""
    starts = []
    index = position
    while len(starts) < count:
        while index > 0 and not text[index - 1].isalnum():
            index -= 1
        if index == 0 or position - index > _WINDOW_BEFORE:
            break
        while index > 0 and (text[index - 1].isalnum() or text[index - 1] in "'’"):
            index -= 1
        starts.insert(0, index)
    return starts


def _anchored_matches(text: str, anchors: Iterable[tuple[int, int]]) -> list[re.Match]:
    """DATE_PATTERN matched only at the word an anchor (month, weekday, relative word, year) is, or
    at one of the few words before it ('8th of March', 'two days ago'), the earliest start first."""
    years = [
        (m.start(), m.end()) for m in _YEAR.finditer(text)
        if (m.start() == 0 or not text[m.start() - 1].isalnum()) and (m.end() == len(text) or not text[m.end()].isalnum())
    ]
    matches: list[re.Match] = []
    for start, _end in sorted({*anchors, *years}):
        if matches and start < matches[-1].end():
            continue
        for candidate in [*_word_starts_before(text, start, _WORDS_BEFORE), start]:
            if matches and candidate < matches[-1].end():
                continue
            match = DATE_PATTERN.match(text, candidate)
            if match and match.end() > start:
                matches.append(match)
                break
    return matches


def find_dates(
    text: str, sentence_of: Iterable[tuple[int, int]] | None = None, anchors: Iterable[tuple[int, int]] | None = None
) -> list[DateMention]:
    """Every date expression in `text`, with the tense of the words around it.

    `anchors`: where the matcher saw month, weekday or relative words; the pattern is then tried
    only around them and around years, instead of over the whole text.
    """
    spans = list(sentence_of or [(0, len(text))])
    mentions: list[DateMention] = []
    index = 0
    matches = DATE_PATTERN.finditer(text) if anchors is None else _anchored_matches(text, anchors)
    for match in matches:
        while index + 1 < len(spans) and spans[index + 1][0] <= match.start():
            index += 1
        previous = _PREVIOUS_WORDS.search(text, max(0, match.start() - 24), match.start())
        modifier = previous.group(1).lower() if previous else ""
        g = match.groupdict()
        if (g["md_m"] or g["dm_m"]) and _NAMED_DAY.match(text, match.end()):
            continue
        values: dict = {}
        if g["iso"]:
            year, month, day = (int(x) for x in g["iso"].split("-"))
            values = {"kind": "full", "year": year, "month": month, "day": day}
        elif g["md_m"] or g["dm_m"]:
            month = _month(g["md_m"] or g["dm_m"])
            day = int(g["md_d"] or g["dm_d"])
            year = g["md_y"] or g["dm_y"]
            if not 1 <= day <= 31:
                continue
            values = {"kind": "full" if year else "month_day", "year": int(year) if year else None, "month": month, "day": day}
        elif g["my_m"]:
            values = {"kind": "month_year", "year": int(g["my_y"]), "month": _month(g["my_m"])}
        elif g["m_m"]:
            modifier = g["m_pre"].lower()
            values = {"kind": "month", "month": _month(g["m_m"])}
        elif g["wd"]:
            values = {"kind": "weekday", "weekday": WEEKDAYS[g["wd"].lower()]}
        elif g["rel"]:
            relative = " ".join(g["rel"].lower().split())
            relative = _NEIGHBOUR_DAYS.get(relative, relative)
            if g["rel_some"] and modifier in ("for", "of", "in", "within"):
                continue  # 'talked for days before': how long, not when
            if g["rel_some"]:
                relative = f"{g['rel_some'].lower()} {words_of(g['rel'])[-1]}"
            if g["rel_n"]:
                number = g["rel_n"].lower()
                count = int(number) if number.isdigit() else NUMBER_WORDS[number]
                relative = f"{count} {g['rel_u'].lower().rstrip('s')} {g['rel_dir'].lower()}"
            words = words_of(g["rel"])
            if words[-1] in ("after", "before") and words[0] != "the":
                relative = _span_before_or_after(text, match, relative)
                if relative is None:
                    continue
            values = {"kind": "relative", "relative": relative}
        elif g["y"]:
            modifier = g["y_pre"].lower()
            values = {"kind": "year", "year": int(g["y"])}
        # The tense of the words just around the date, within its sentence.
        before = text[max(spans[index][0], match.start() - _TENSE_BEFORE):match.start()]
        after = text[match.end():min(spans[index][1], match.end() + _TENSE_AFTER)]
        if _REPORTED_ON.search(before) and modifier not in _FUTURE_MODIFIERS:
            tense = "past"  # 'said on Wednesday that he would ...': the saying's day
        elif modifier in _FUTURE_MODIFIERS or (modifier not in _PAST_MODIFIERS and (_FUTURE.search(before) or _FUTURE.search(after))):
            tense = "future"
        elif modifier in _DEADLINE_MODIFIERS:
            tense = "near"
        else:
            tense = "past"
        mentions.append(DateMention(match.start(), match.end(), modifier=modifier, tense=tense, **values))
    if _ARABIC_SCRIPT.search(text):
        from .native_dates import find_native_dates  # it builds DateMentions of this module

        native = find_native_dates(text, spans)
        if native:
            taken = [(m.start, m.end) for m in mentions]
            mentions = sorted(
                [*mentions, *(n for n in native if not any(s < n.end and n.start < e for s, e in taken))],
                key=lambda m: m.start,
            )
    return mentions


_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff]")


# 'a day after Mazar-i-Sharif fell': 'after' opens what happened (a noun or a clause), not an adverb.
_OPENS_HAPPENING = re.compile(r"\s+(?!that\b|this\b|it\b|and\b|or\b|but\b)[\w'’-]")


def words_of(text: str) -> list[str]:
    return text.lower().split()


def _span_before_or_after(text: str, match: re.Match, relative: str) -> str | None:
    """'the day after' alone is a day after another ('day after'); 'a day after Mazar-i-Sharif
    fell', 'two months after he ordered ...' date what follows: that many units before the day the
    sentence tells of ('1 day prior'); '... before the vote', that many after ('2 day ahead');
    'days after the Pentagon announced', some days before, approximately ('days prior')."""
    count_unit, _, direction = relative.rpartition(" ")
    if count_unit in ("days", "weeks") and not _OPENS_HAPPENING.match(text, match.end()):
        return None
    if not _OPENS_HAPPENING.match(text, match.end()):
        if count_unit in ("day", "1 day"):
            return f"day {direction}"
        return None  # 'two weeks after,': from what? unknown
    if count_unit == "day":
        count_unit = "1 day"
    return f"{count_unit} {'prior' if direction == 'after' else 'ahead'}"


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def day_in_year(mention: DateMention, year: int) -> dt.date | None:
    """The day a mention without a year ('29 March', '۷ عقرب', '۱۵ رمضان') falls on in the
    Gregorian `year`, in its own calendar; None when it has none there (29 February, or a lunar
    day the year holds twice: the first then)."""
    if not mention.calendar:
        return _safe_date(year, mention.month, mention.day)
    from articles.text.calendars import calendar_year_of, to_gregorian

    start = calendar_year_of(mention.calendar, dt.date(year, 1, 1))
    for own_year in (start, start + 1):
        found = to_gregorian(mention.calendar, own_year, mention.month, mention.day)
        if found is not None and found.year == year:
            return found
    return None


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _choose_year(mention: DateMention, reference: dt.date, tense: str) -> dt.date | None:
    options = [d for d in (day_in_year(mention, reference.year + k) for k in (-1, 0, 1)) if d]
    slack = dt.timedelta(days=1)  # a day either way for time zones
    if tense == "future":
        options = [d for d in options if d >= reference - slack]
        return min(options) if options else None
    if tense == "past":
        options = [d for d in options if d <= reference + slack]
        return max(options) if options else None
    return min(options, key=lambda d: abs((d - reference).days)) if options else None


def resolve(mention: DateMention, reference: dt.date | None, year: int | None = None) -> ResolvedDate | None:
    """The day an expression means, read from `reference` (the publication day).

    `year` fixes the year of a month and day when the reference is unknown.
    """
    try:
        return _resolve(mention, reference, year)
    except OverflowError:  # a reference at the calendar's edge (a feed dated year 1 or 9999) has no day beyond it
        return None


def _resolve(mention: DateMention, reference: dt.date | None, year: int | None) -> ResolvedDate | None:
    day_p, month_p, year_p = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR
    if mention.kind == "full":
        found = _safe_date(mention.year, mention.month, mention.day)
        return ResolvedDate(found, day_p) if found else None
    if mention.kind == "month_year":
        return ResolvedDate(dt.date(mention.year, mention.month, 1), month_p)
    if mention.kind == "year":
        return ResolvedDate(dt.date(mention.year, 1, 1), year_p)
    if mention.kind == "month_day":
        if reference is None:
            found = day_in_year(mention, year) if year else None
        else:
            found = _choose_year(mention, reference, mention.tense)
        return ResolvedDate(found, day_p) if found else None
    if reference is None:
        return None
    if mention.kind == "month":
        this_month = dt.date(reference.year, reference.month, 1)
        options = [dt.date(reference.year + k, mention.month, 1) for k in (-1, 0, 1)]
        if mention.modifier == "next":
            chosen = min(o for o in options if o > this_month)
        elif mention.modifier == "last":
            chosen = max(o for o in options if o < this_month)
        elif mention.tense == "future":
            chosen = min(o for o in options if o >= this_month)
        elif mention.tense == "past":
            chosen = max(o for o in options if o <= this_month)
        else:
            chosen = min(options, key=lambda o: abs((o - this_month).days))
        return ResolvedDate(chosen, month_p)
    if mention.kind == "weekday":
        return ResolvedDate(_weekday(mention, reference), day_p)
    return _relative(mention.relative, reference)


def _weekday(mention: DateMention, reference: dt.date) -> dt.date:
    back = (reference.weekday() - mention.weekday) % 7
    if mention.modifier == "last" and back == 0:
        back = 7
    if mention.modifier == "next" or (mention.future and mention.modifier not in _PAST_MODIFIERS):
        ahead = (mention.weekday - reference.weekday()) % 7
        if mention.modifier == "next" and ahead == 0:
            ahead = 7
        return reference + dt.timedelta(days=ahead)
    return reference - dt.timedelta(days=back)


# 'the day before' is a day from another day of the sentence (see `NEIGHBOUR_DAY`); from the
# publication day when the sentence gives none.
_NEIGHBOUR_DAYS = {
    "the day before": "day before", "a day earlier": "day before", "a day before": "day before",
    "the previous day": "day before", "the night before": "day before", "the day after": "day after",
    "a day later": "day after", "a day after": "day after", "the next day": "day after", "the following day": "day after",
}
NEIGHBOUR_DAY = {"day before": -1, "day after": 1}


# 'days after', 'weeks after': how far back, about.
_SOME = {"days": dt.timedelta(days=3), "weeks": dt.timedelta(days=14)}


def _relative(expression: str, reference: dt.date) -> ResolvedDate | None:
    day_p, month_p, year_p, approx = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR, DatePrecision.APPROXIMATE
    fixed = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "day before": -1, "day after": 1}
    if expression in fixed:
        return ResolvedDate(reference + dt.timedelta(days=fixed[expression]), day_p)
    words = expression.split()
    if words[0] in _SOME and words[-1] in ("prior", "ahead"):
        return ResolvedDate(reference + _SOME[words[0]] * (1 if words[-1] == "ahead" else -1), approx)
    if words[-1] in {"ago", "earlier", "later", "prior", "ahead"} and words[0].isdigit():
        count, unit = int(words[0]) * (1 if words[-1] in ("later", "ahead") else -1), words[1]
        if unit == "day":
            return ResolvedDate(reference + dt.timedelta(days=count), day_p)
        if unit == "week":
            return ResolvedDate(reference + dt.timedelta(weeks=count), approx)
        if unit == "month":
            return ResolvedDate(_add_months(reference, count), month_p)
        return ResolvedDate(dt.date(reference.year + count, 1, 1), year_p)
    unit = words[-1]
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(words[0], 0)
    if unit == "week":
        return ResolvedDate(reference + dt.timedelta(weeks=step), approx)
    if unit == "month":
        return ResolvedDate(_add_months(reference, step), month_p)
    if unit == "year":
        return ResolvedDate(dt.date(reference.year + step, 1, 1), year_p)
    return None


@dataclass(frozen=True)
class Publication:
    """When an article was published, and on what basis: metadata | feed | editor (given with the
    article), dateline, text (read from the words), or "" (no safe date: the article stays undated).

    `year`: the year of the text's undated days when the day itself could not be settled.
    """

    date: ResolvedDate | None
    basis: str
    year: int | None = None


# Words before a day that make it something to happen by, or a start, not what the text reports.
NOT_REPORTED_MODIFIERS = {"since", "by", "until", "till", "before", "from", "after", "next", "coming"}


def _past(mentions: list[DateMention], kind: str) -> list[DateMention]:
    """Weekdays or days the text reports things on (not days something must happen by, or since)."""
    return [m for m in mentions if m.kind == kind and m.tense == "past" and m.modifier not in NOT_REPORTED_MODIFIERS]


def _latest_stated_year(mentions: list[DateMention]) -> int | None:
    """The latest year the text states for something past: the article was written no earlier."""
    years = [m.year for m in mentions if m.year and m.tense == "past" and m.kind in {"full", "month_year", "year"}]
    return max(years) if years else None


def agrees_with_text(
    day: dt.date, mentions: list[DateMention], constraints: list[list[tuple[dt.date | None, dt.date | None]]],
) -> bool:
    """Whether a text can have been written on `day`: not before a year it states for something
    past, and while each dated title it gives a person was held ('Secretary of State Blinken')."""
    lower = _latest_stated_year(mentions)
    if lower is not None and day.year < lower:
        return False
    return all(
        any((start is None or start <= day) and (end is None or day <= end) for start, end in spans)
        for spans in constraints if spans
    )


def _year_of(
    mention: DateMention, weekdays: set[int], constraints: list[list[tuple[dt.date | None, dt.date | None]]],
    lower: int | None, upper: dt.date | None,
) -> int | None:
    """The one year a day without a year can be in, or None.

    Candidates come from evidence other than weekdays: the years of the roles the text's titles fit
    (a year of slack each side), else the latest year the text states and the next, else the fetch's
    year and the year before. None of them may be before a year the text states for a past fact or
    put the day after the fetch. Among them, the years that fit the most of the roles, then the ones
    on which the day falls on a weekday the text names for the same reports. Only one may be left.
    """
    years: set[int] = set()
    for spans in constraints:
        for start, end in spans:
            years.update(range((start or end).year - 1, (end or start).year + 2))
    if not years and lower is not None:
        years = {lower, lower + 1}
    if not years and upper is not None:
        years = {upper.year - 1, upper.year}
    days = {
        year: found for year in years
        if (found := day_in_year(mention, year)) is not None
        and (lower is None or year >= lower)
        and (upper is None or found <= upper + dt.timedelta(days=1))
    }
    if constraints and days:
        fits = {
            year: sum(any((s is None or s <= found) and (e is None or found <= e) for s, e in spans) for spans in constraints)
            for year, found in days.items()
        }
        best = max(fits.values())
        days = {year: found for year, found in days.items() if fits[year] == best}
    if weekdays:
        days = {year: found for year, found in days.items() if found.weekday() in weekdays}
    return next(iter(days)) if len(days) == 1 else None


def settle_publication(
    *,
    given: dt.date | None,
    given_basis: str = "metadata",
    fetched: dt.date | None,
    dateline: list[DateMention],
    text: list[DateMention],
    constraints: Callable[[], list[list[tuple[dt.date | None, dt.date | None]]]],
    corefer: Callable[[DateMention, DateMention], bool] = lambda weekday, day: True,
    lede_weekdays: set[int] = frozenset(),
) -> Publication:
    """The publication day: the one given with the article (its metadata or feed), then the
    dateline's, then one read from the text; never after the fetch, never before a year the text
    states for something past, never from weekday arithmetic alone. Undated rather than wrong.

    A dateline's day without a year ('KABUL, Feb 28') takes the one year the evidence allows, or the
    one in which it falls on the weekday of the dateline, or on the opening sentence's weekday or
    the day after (`lede_weekdays`).
    From the text, only a past day that a weekday of the text confirms, when both report the same
    thing (`corefer`: 'met on Monday' and 'visited on March 8' about one trip, March 8 a Monday in
    the one year the evidence allows): the article is then dated the day after the latest such
    day, approximately. `constraints` (the dated roles the text's titles fit) is called only when
    the date must be inferred: most articles carry one.
    """
    latest_allowed = fetched + dt.timedelta(days=1) if fetched else None
    if given is not None and (latest_allowed is None or given <= latest_allowed):
        return Publication(ResolvedDate(given, DatePrecision.DAY), given_basis or "metadata")
    everything = dateline + text
    lower = _latest_stated_year(everything)
    for mention in dateline:
        if mention.kind == "full":
            found = _safe_date(mention.year, mention.month, mention.day)
            if found and (latest_allowed is None or found <= latest_allowed) and (lower is None or found.year >= lower):
                return Publication(ResolvedDate(found, DatePrecision.DAY), "dateline")
    roles = constraints()
    past_weekdays = _past(text, "weekday")
    for mention in dateline:
        if mention.kind == "month_day":
            # A weekday in the dateline itself ('Saturday, March 14') dates that day; failing that, the
            # opening sentence's weekday, which a dateline's day is or follows ('WASHINGTON, June 26 —
            # ... told them on Friday'), may leave one year.
            weekdays = {m.weekday for m in dateline if m.kind == "weekday"}
            year = _year_of(mention, weekdays, roles, lower, fetched)
            if year is None and not weekdays and lede_weekdays:
                same_or_next = set(lede_weekdays) | {(w + 1) % 7 for w in lede_weekdays}
                year = _year_of(mention, same_or_next, roles, lower, fetched)
            if year is not None and (found := day_in_year(mention, year)) is not None:
                return Publication(ResolvedDate(found, DatePrecision.DAY), "dateline")
    year = None
    if past_weekdays:
        reported = []
        for mention in _past(text, "month_day"):
            weekdays = {w.weekday for w in past_weekdays if corefer(w, mention)}
            if not weekdays:
                continue
            found_year = _year_of(mention, weekdays, roles, lower, fetched)
            if found_year is not None and (found := day_in_year(mention, found_year)) is not None:
                year = year or found_year
                reported.append(found)
        if reported and len({d.year for d in reported}) == 1:
            day = max(reported) + dt.timedelta(days=1)
            stated = [
                found for m in text if m.kind == "full" and m.tense == "past"
                and (found := _safe_date(m.year, m.month, m.day)) is not None
            ]
            if (not stated or max(stated) < day) and (latest_allowed is None or day <= latest_allowed):
                return Publication(ResolvedDate(day, DatePrecision.APPROXIMATE), "text", year)
    return Publication(None, "", year)
