"""Events a text reports: an event phrase ('met', 'signed an agreement', 'arrived in'), the date of
that phrase, and the people and organizations taking part.

Precision first. A candidate is read clause by clause:
1. The clause of an event phrase runs to the nearest clause boundary (';', a dash, ', which',
   'after', 'said ... that' and the like): what lies beyond belongs to another clause.
2. The phrase must report a past fact: a negation ('did not meet', 'denied'), a modal or future
   ('may visit', 'will travel', 'is expected to sign', 'plans to'), a condition ('if', 'unless'),
   a purpose ('to meet'), or a cancelled or postponed happening before it in the clause voids it.
3. Its date is the date expression of the same clause nearest to the phrase (a day it must happen
   'by' is a deadline, never the event's date; 'since' dates nothing), else the date of the sentence
   before when that sentence reported nothing ('He arrived on Friday. He met ...'), else the
   dateline's date for the opening sentence. A date after the publication day voids it.
4. Its participants are the people and organizations of the clause (with the one a 'who' clause
   refers to), leaving out organizations that only qualify a person ('the head of the Taliban
   political office'), and whoever only reports it ('according to X', 'X said').
5. Events of one kind on the same day (or one day apart) that share a participant are one event.

Every candidate may join an event of the curated timeline (see `curated.py`); one that does not
stands as a machine event only with a day-precise date and at least one participant: a background
mention such as 'the agreement signed in February' is never an event of its own.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from articles.models import DatePrecision, EventKind
from articles.text.calendars import CALENDAR_NAMES
from articles.text.lexicon import ATTENDANCE_WORDS
from articles.text.normalize import unify_letters

from . import native_events
from .dates import ResolvedDate

ActorKey = tuple[str, int]  # an entity key, or ("new", index) for a person discovered in this text

# Each kind's event phrases; a clause takes the kind of the phrase that comes first in it.
KIND_TRIGGERS: list[tuple[str, re.Pattern]] = [
    (EventKind.AGREEMENT, re.compile(
        r"\binitiall?ed\b|\bsigned\b(?!\s+(?:off|up|(?:an?|the)\s+(?:[\w-]+\s+){0,2}(?:order|decree|law|bill|edict)s?)\b)|\bsign(?:s|ing)?\s+(?:an?|the)\s+(?:[\w-]+\s+){0,3}(?:agreement|deal|accord|declaration|memorandum)"
        r"|\breached\s+(?:an?|the)\s+(?:[\w-]+\s+){0,2}(?:agreement|deal|understanding)|\bagreed\s+on\b|\bstruck\s+a\s+deal"
        r"|\badopted\s+(?:an?|the)\s+(?:[\w-]+\s+){0,3}(?:declaration|agreement)"
        r"|\b(?:was|were)\s+agreed\b(?!\s+to\b)|\bput\s+(?:their|his|her)\s+names?\s+to\b",
        re.IGNORECASE)),
    (EventKind.STATEMENT, re.compile(
        r"\badopted\s+(?:an?|the)\s+(?:[\w-]+\s+){0,3}resolution\b"
        r"|\b(?:issued|released|published|in)\s+a\s+(?:[\w-]+\s+){0,2}statement\b|\bstatement\s+(?:issued|released)\b"
        r"|\bin\s+(?:his|her)\s+(?:[\w-]+\s+){0,2}statement\b"

        r"|\b(?:news|press)\s+conference\b|\bbriefing\b|\baddressed\s+the\s+nation\b|\btelevised\s+(?:address|speech)\b"
        r"|\bin\s+a\s+(?:[\w-]+\s+){0,2}(?:speech|address)\b|\bdelivered\s+a\s+(?:[\w-]+\s+){0,2}(?:speech|address)\b"
        r"|\b(?:video|audio|recorded)\s+(?:message|statement|interview)\b|\b(?:gave|in)\s+an?\s+(?:[\w-]+\s+){0,2}interview\b"
        r"|\bcalled\s+on\s+(?:[\w'’-]+\s+){1,5}?(?:not\s+)?to\s+\w+|\bcalled\s+(?:on\s+\w+\s+)?for\b|\burged\b"
        r"|\b(?:said|told\s+(?:[\w'’-]+\s+){1,4}?)(?=on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)",
        re.IGNORECASE)),
    (EventKind.CONFERENCE, re.compile(
        r"\b(?<!news\s)(?<!press\s)conference\b|\bsummit\b|\bconvened\b|\bextraordinary\s+session\b"
        r"|\bministerial\s+meeting\b|\bgathering\s+of\b|\bjirga\b",
        re.IGNORECASE)),
    (EventKind.TALKS, re.compile(
        r"\bheld\s+(?:[\w'’-]+\s+){0,4}talks\b(?!\s+with\b)|\btalks\b(?:\s+[\w'’-]+){0,8}?\s+(?:began|opened|resumed|started|ended|concluded|were\s+held|took\s+place)\b"
        r"|\b(?:opened|began|start(?:ed)?|resumed|concluded|ended)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,4}(?:talks|negotiations)\b"
        r"|\bnegotiations\s+(?:began|opened|resumed|started|ended|concluded)\b"
        r"|\bround\s+of\s+(?:[\w-]+\s+){0,2}(?:talks|negotiations)\b|\bhosted\s+(?:[\w'’-]+\s+){0,3}talks\b",
        re.IGNORECASE)),
    (EventKind.VISIT, re.compile(
        r"\bvisit(?:ed|s|ing)?\s+(?!to\b)(?=[A-Z])|\bvisited\b|\barrived\s+in\b|\blanded\s+in\b"
        r"|\b(?:trip|visit)\s+to\s+(?=[A-Z])|\btravell?ed\s+to\b|\bflew\s+to\b")),
    (EventKind.MEETING, re.compile(
        r"\bmet\b|\bmeets\b|\bmeeting\s+with\b|\bcalled\s+on\b|\bheld\s+(?:a\s+)?(?:[\w-]+\s+){0,2}meetings?\b"
        r"|\bhosted\s+(?:a|the)\s+(?:[\w'’-]+\s+){0,2}delegation\b|\bhosted\s+(?=[A-Z])|\breceived\s+(?:a|the)\s+(?:[\w'’-]+\s+){0,2}delegation\b"
        r"|\breceived\s+(?:him|her|them)\b|\breceived\s+(?=[A-Z])|\b(?:held\s+(?:[\w'’-]+\s+){0,4})?talks\s+with\b"
        r"|\bspok(?:e|en)\s+(?:by\s+(?:tele)?phone\s+)?with\b"
        r"|\bmeeting\s+between\b",
        re.IGNORECASE)),
    (EventKind.ANNOUNCEMENT, re.compile(
        r"\bannounced\b|\bannounces\b|\bunveiled\b|\bappointed\b|\bnamed\s+(?:[\w-]+\s+){1,4}as\b|\bordered\b"
        r"|\bsigned\s+(?:an?|the)\s+(?:[\w-]+\s+){0,2}(?:order|decree|law|bill|edict)s?\b|\bissued\s+(?:an?|the)\s+(?:[\w-]+\s+){0,2}(?:order|decree|edict|guidance)\b"
        r"|\bbecame\s+the\s+first\s+(?:[\w-]+\s+){0,2}to\s+(?:formally\s+|officially\s+)?recogni[sz]e\b"
        r"|\bsuspended\s+(?:[\w'’-]+\s+){0,3}(?:talks|negotiations|cooperation|relations|programmes|programs|operations|work)\b"
        r"|\b(?:barred|banned)\b|\bimposed\s+(?:an?|the|its)?\s*(?:[\w-]+\s+){0,2}(?:ban|restrictions?|curfew)\b",
        re.IGNORECASE)),
    (EventKind.ATTACK, re.compile(
        r"\battack(?:ed|s)?\b|\bbombing\b|\bblast\b|\bexplosion\b|\bsuicide\s+bomb\w*|\b(?:drone|air)\s*strike\b"
        r"|\bkill(?:ed|ing)\s+(?:at\s+least\s+)?(?:[\w-]+\s+){0,3}?(?:people|soldiers|troops|civilians|policemen|police|officers|guards"
        r"|fighters|militants|men|women|children|worshippers|students|staff|workers)\b",
        re.IGNORECASE)),
    (EventKind.OTHER, re.compile(
        r"\bhanded\s+(?:\w+\s+)?over\b|\bhandover\b|\b(?:took|taken|take|taking)\s+(?:over|control)\b"
        r"|\b(?:entered|marched\s+into|walked\s+into|swept\s+into|overran|surrendered)\b(?=\s+(?:the\s+)?[A-Z]|\s+without)|\bseized\b|\bcaptured\b|\bfell\s+to\b|\bfell\b"
        r"|\bsworn\s+in\b|\bswearing-in\b|\bresigned\b|\bstepped\s+down\b|\brecogni[sz]ed\b"
        r"|\bwere\s+(?:freed|released)\b|\bwas\s+(?:freed|released)\b|\bfreed\b|\breleased\s+(?:[\w-]+\s+){0,3}prisoners\b"
        r"|\b(?:appeared|showed\s+(?:his|her)\s+face)\s+in\s+public\b|\bfirst\s+public\s+appearance\b"
        r"|\b(?:withdrawal|drawdown|pull-?out)\s+(?:formally\s+|officially\s+)?(?:began|started|ended|was\s+completed)\b"
        r"|\b(?:lifted|suspended|removed|revoked)\s+(?:[\w'’-]+\s+){0,4}(?:ban|designation|sanctions?|restrictions?)\b",
        re.IGNORECASE)),
]
# The words that must be in a sentence for a kind's pattern to be tried on it: the matcher reports
# where they are, so most sentences are tried against one or two patterns, not all.
KIND_ANCHORS: dict[str, set[str]] = {
    EventKind.AGREEMENT: {
        "signed", "sign", "signs", "signing", "reached", "agreed", "struck", "adopted", "initialled", "initialed", "names",
    },
    EventKind.STATEMENT: {
        "statement", "conference", "briefing", "addressed", "televised", "speech", "address", "adopted", "message",
        "interview", "called", "urged", "said", "told",
    },
    EventKind.CONFERENCE: {"conference", "summit", "convened", "session", "ministerial", "gathering", "jirga"},
    EventKind.TALKS: {"talks", "negotiations"},
    EventKind.VISIT: {"visit", "visited", "visits", "visiting", "arrived", "landed", "trip", "travelled", "traveled", "flew"},
    EventKind.MEETING: {"met", "meets", "meeting", "called", "held", "hosted", "received", "talks", "spoke", "spoken", "discussed"},
    EventKind.ANNOUNCEMENT: {
        "announce", "announced", "announces", "unveiled", "appointed", "named", "ordered", "signed", "issued", "became", "barred",
        "banned", "imposed", "suspended",
    },
    EventKind.ATTACK: {
        "attack", "attacked", "attacks", "bombing", "blast", "explosion", "suicide", "strike", "airstrike", "killed", "killing",
    },
    EventKind.OTHER: {
        "handed", "handover", "took", "taken", "take", "taking", "seized", "captured", "fell", "sworn", "swearing", "resigned",
        "entered", "marched", "walked", "swept", "overran", "surrendered",
        "stepped", "recognised", "recognized", "freed", "released", "appeared", "showed", "appearance", "withdrawal",
        "drawdown", "pullout", "pull", "lifted", "suspended", "removed", "revoked",
    },
}
# Nouns that name a happening ('the agreement', 'the attack'): a sentence holding one may describe
# a timeline event even without a phrase that reports it as news.
EVENT_NOUNS = {
    "agreement", "deal", "accord", "talks", "negotiations", "meeting", "meetings", "visit", "trip", "conference",
    "summit", "attack", "bombing", "bomber", "blast", "strike", "announcement", "declaration", "letter", "ban",
    "takeover", "fall", "exchange", "swap", "ceasefire", "truce", "election", "inauguration", "inaugurations",
    "ceremony", "cabinet", "office", "withdrawal", "drawdown", "resolution", "order", "decree", "review", "jirga",
    "session", "round", "deadline", "release", "handover", "recognition",
}
# 'On Sunday, Massoud had said ...': a day opening the sentence or clause dates the saying after it.
# Its own case-sensitive pattern: inside the statement pattern it made that one three times as slow.
KIND_TRIGGERS.append((EventKind.STATEMENT, re.compile(
    r"(?<![a-z]\s)\bOn\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\s+(?:[\w'’.-]+\s+){1,4}?(?:had\s+)?said\b"
)))
KIND_TRIGGERS += native_events.triggers()
MARKERS = (
    {f"event:{kind}": words | native_events.ANCHORS.get(kind, set()) for kind, words in KIND_ANCHORS.items()}
    | {"event:attended": ATTENDANCE_WORDS, "event:noun": EVENT_NOUNS}
)

# A clause ends at these (the boundary belongs to neither side). Matched on the text in unified
# letters, so its Dari, Pashto and Urdu words are unified too.
_CLAUSE_BOUNDARY = re.compile(unify_letters(
    r"(?P<reported>\b(?:said|says|say|told|announced|confirmed|reported|added|stated|claimed|denied|noted|believed"
    r"|hoped|insisted|warned)(?:\s+[\w'’-]+){0,4}?\s+that\s"
    r"|(?:گفت|گفتند|افزود|افزودند|وویل|ویلي|وايي|وایي|زیاته\s+کړه|کہا|بتایا)\s+(?:که|چې|کہ)\s)"
    r"|(?P<meanwhile>,\s+(?=(?:as|while|when)\b)|\s(?=(?:while|when)\s+(?:the|a|an|he|she|they|it|[A-Z]))"
    r"|\s(?=as\s+(?:the\s+)?[A-Z][\w'’-]*\s+(?:[\w'’-]+\s+){0,2}?\w+ed\b))"
    r"|(?P<preposition>,?\s(?=(?:after|before|since|until|following)\s))"
    r"|[;؛]|:\s|\s[—–]\s|\s-\s"
    r"|,\s+and\s+(?=(?:the\s+)?(?:[\w'’-]+\s+){0,3}said\s)"
    r"|,\s+(?=(?:which|who|whose|whom|where|whereas|but|although|though|because|saying|adding|amid|despite|a\s+day|two\s+days|hours)\b)"
    r"|\s(?=(?:whereas|although|though|because|unless|once)\s)"
    # Dari: a past verb and 'و' (and) close one clause and open another ('کشور را ترک کرد و ... وارد کابل شدند').
    r"|(?<=[دن])(?:(?<=کرد)|(?<=کردند)|(?<=شد)|(?<=شدند)|(?<=نمود)|(?<=نمودند)|(?<=داد)|(?<=دادند))\s+و\s"
    # Urdu: a relative clause after a comma ('، جو بدھ کو پہنچے تھے'), and 'جبکہ' (whereas).
    r"|،\s*(?=(?:جو|جس|جن|جنہوں|جہاں)\s)|\s(?=جبکہ\s)"
    r"|\bthat\s+(?=(?:he|she|they|it|the|a|an)\b)",
))
# A finite verb within the words after 'after', 'since'...: they open a clause ('since the Taliban
# seized Kabul'), not a phrase ('since the US withdrawal', 'after six days of talks').
_FINITE_VERB = re.compile(
    r"^\s*\w+\s+(?:[\w'’-]+\s+){0,6}?(?:\w{3,}ed|took|fell|met|began|begun|left|came|went|won|held|said|told|"
    r"made|gave|saw|was|were|is|are|had|has|have|did|does|will|would|could|flew|ran|sent|struck|spoke|became|got)\b(?![-’'])"
)
# Before the event phrase in its clause: what makes it not a past fact.
UNREAL = re.compile(
    r"\b(?:not|n't|never|no|neither|nor|without|deny|denies|denied|refused|rejected\s+reports?|failed\s+to"
    r"|will|would|could|(?-i:may)|might|shall|should|can|must|won't|wouldn't"
    r"|due\s+to|expected\s+to|likely\s+to|plans?\s+to|planned\s+to|planning\s+to|set\s+to|scheduled\s+to|going\s+to"
    r"|intends?\s+to|intended\s+to|hopes?\s+to|hoped\s+to|wants?\s+to|wanted\s+to|aims?\s+to|ready\s+to|willing\s+to"
    r"|offered\s+to|agreed\s+to|proposed|proposal|possible|potential|prospective|planned|upcoming|would-be"
    r"|if|unless|whether|was\s+to|were\s+to|is\s+to|are\s+to|to\s+be|cancel(?:l?ed|s)?|called\s+off|postpone[ds]?|delayed"
    r"|call(?:ed|s)?\s+for|urged|urges|demand(?:ed|s)?|considering|consider)\b"
    rf"|{native_events.UNREAL}",
    re.IGNORECASE,
)
_UNREAL_AFTER = re.compile(r"^\W*(?:\w+\s+){0,2}?(?:was|were|has\s+been|had\s+been)\s+(?:cancel\w*|called\s+off|postpone\w*|delayed)\b", re.IGNORECASE)
_PURPOSE = re.compile(r"\bto\s+(?:\w+\s+){0,1}$", re.IGNORECASE)
# Who only reports the event is not taking part in it.
_REPORTER_BEFORE = re.compile(r"\baccording\s+to\s+(?:the\s+)?$", re.IGNORECASE)
_REPORTER_AFTER = re.compile(r"^[\s,]*(?:[\w'’-]+\s+){0,2}?(?:said|says|told|added|confirmed|reported|announced|claimed)\b", re.IGNORECASE)
# 'Stanikzai, the head of the Taliban political office' / 'Baradar, head of the group's office'
_APPOSITION_ROLE = re.compile(r"^,\s+(?:the\s+|a\s+|its\s+|their\s+)?(?:[\w'’-]+\s+){0,4}(?:of|for|at|to)\s+(?:the\s+)?$", re.IGNORECASE)
_TITLE_GAP = re.compile(r"^[^,;،؛]{0,45}$")
_AND = re.compile(unify_letters(r"\s(?:and|و|او|اور)\s"))
_SUBJECT_PRONOUN = re.compile(
    r"\s*(?:he|she)\s"
    # Dari, Pashto, Urdu: 'وی', Pashto's clitic 'یې' after a word or two ('نن یې ... وکتل'), 'انہوں نے', 'وہ'.
    + unify_letters(r"|\s*(?:[\u0600-\u06ff\u200c]+\s+){0,2}?یې\s|\s*(?:وی|هغه|انہوں|وہ)\s"),
    re.IGNORECASE,
)
# Words that put what follows as the place of the event: 'in Doha', 'at Bagram', 'visited Kabul'.
_WHERE = re.compile(
    r"\b(?:in|at|to|near|outside|inside|from|visited|visit|into|reached|entered|captured|seized|took|of)\s+(?:the\s+)?"
    r"(?:[\w'’-]+\s+){0,2}$",
    re.IGNORECASE,
)
# The same in Dari and Pashto, before the place ('در مسکو', 'به کابل', 'په دوحه کې'), and in Urdu and
# Pashto after it ('اسلام آباد میں', 'کابل ته', 'کابل پہنچ گئے').
_NATIVE_WHERE = re.compile(unify_letters(r"(?<![\u0600-\u06ff])(?:در|به|په)\s+(?:[\u0600-\u06ff\u200c]+\s+){0,2}$"))
_NATIVE_WHERE_AFTER = re.compile(unify_letters(r"\s*(?:میں|کې|ته|پہنچ)(?![\u0600-\u06ff])"))
# 'X and Y also attended the meeting': more participants for the event just before.
_ALSO_ATTENDED = re.compile(
    r"\b(?:also\s+)?(?:attended|joined)\s+(?:the|this|that)\s+(?:[\w-]+\s+){0,2}(?:meeting|talks|visit|session|ceremony|conference|delegation)\b"
    r"|\b(?:were|was)\s+(?:also\s+)?present\b|\balso\s+accompanied\b",
    re.IGNORECASE,
)
# What must happen 'by' (or 'until', 'before') a date for it to be a deadline, and what makes that
# deadline a fact rather than a proposal.
_DEADLINE_ACTION = re.compile(
    r"\b(?:withdraw\w*|leave|leaving|left|pull\w*\s+out|complete\w*|finish\w*|exit|depart\w*|out\s+of|deadline|release\w*"
    r"|end|cut|reduced?|drawn?\s+down|hand\w*\s+over|evacuat\w*)\b",
    re.IGNORECASE,
)
# 'the May 1 deadline', 'the Aug. 31 deadline': a day that names a deadline.
_NAMED_DEADLINE = re.compile(r"\s*deadline\b", re.IGNORECASE)
_DEADLINE_SET = re.compile(
    r"\b(?:announced|set|sets|agreed|ordered|signed|under\s+the\s+(?:agreement|deal)|deadline|committed|pledged|decided)\b",
    re.IGNORECASE,
)
_DEADLINE_MODIFIERS = {"by", "until", "before"}
# 'May' the month is not 'may' the verb.
_PROPOSED = re.compile(r"\b(?:(?i:consider\w*|propos\w*|could|might|possible|options?|if|unless)|may)\b")
_NOT_AN_EVENT_DATE = {"since", "by", "until", "till", "before", "from", "after"}
# The words after an announcement or another happening that say what it was ('announced an interim government').
_OBJECT_WORDS = re.compile(r"[\s,]*((?:(?!on\b|in\b|at\b|by\b|after\b|for\b|that\b|to\b|which\b|who\b)[\w'’-]+\s*){1,6})", re.IGNORECASE)
PLACE_RANK = {"venue": 0, "district": 1, "city": 2, "province": 3, "region": 4, "country": 5}
_CARRY_DATE_KINDS = {EventKind.MEETING, EventKind.VISIT, EventKind.TALKS, EventKind.CONFERENCE, EventKind.STATEMENT}
# A sentence that goes on with the story before it, whose date it may take: 'He met ...', 'In a statement, ...'.
_CONTINUES = re.compile(
    r"\s*(?:he|she|they|it|later|afterwards|then|there|in\s+(?:a|an|the|their|his|her|its)\s+(?:[\w-]+\s+){0,2}statement)\b",
    re.IGNORECASE,
)
_SLACK = dt.timedelta(days=1)  # a day either way for time zones


@dataclass
class ExtractedEvent:
    kind: str
    date: ResolvedDate
    sentence: tuple[int, int]
    participants: list[ActorKey] = field(default_factory=list)
    place: tuple[str, int] | None = None
    confidence: float = 0.5
    phrase: tuple[int, int] = (0, 0)  # where the event phrase is
    date_text: str = ""  # the words that date it: 'on Monday', 'the dateline', 'the sentence before'
    subjects: list[ActorKey] = field(default_factory=list)  # participants named before the phrase
    action: str = ""  # what happened, for titles: 'announced an interim government'
    separate: bool = False  # 'also met': another happening than the one just told, never merged into it
    curated: int | None = None  # the timeline event it is, when it joins one
    curated_basis: str = ""

    @property
    def stands_alone(self) -> bool:
        """Whether it may become a machine event when it joins no timeline event."""
        return self.date.precision == DatePrecision.DAY and bool(self.participants)


@dataclass(frozen=True, slots=True)
class Located:
    key: ActorKey
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class DateAt:
    """A resolved date of the text and where its expression is."""

    start: int
    end: int
    date: ResolvedDate
    modifier: str
    tense: str
    calendar: str = ""  # "" Gregorian, "solar" or "lunar": said in the evidence ('۷ عقرب ۱۳۹۹ (Solar Hijri)')

    def words(self, text: str) -> str:
        """The date's words as the evidence shows them, with the calendar they are in when not Gregorian."""
        words = text[self.start:self.end]
        return f"{words} ({CALENDAR_NAMES[self.calendar]})" if self.calendar else words


@dataclass(frozen=True, slots=True)
class Clause:
    start: int
    end: int
    opened_by: str  # reported ('said that ...') | meanwhile ('as ...', 'while ...') | "" (anything else)
    holes: tuple[tuple[int, int], ...] = ()  # relative clauses inside it, which say nothing of its event

    def holds(self, position: int) -> bool:
        return self.start <= position < self.end and not any(s <= position < e for s, e in self.holes)


# ', which arrived on Wednesday night at Pakistan's invitation,': a relative clause set between commas,
# after which the main clause goes on (its next word is not a name or a number).
_RELATIVE = re.compile(r",\s+(?:which|who|whose|whom|where)\b[^,;:]{3,120}?,(?=\s+[a-z])")


def relative_clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _RELATIVE.finditer(text, start, end)]


@dataclass(frozen=True, slots=True)
class _Comma:
    """A comma after a Dari, Pashto or Urdu event verb: these languages put the verb last, so the
    clause ends there ('... پاکستان ته راغلی، پرون ... وکتل': came to Pakistan, then met)."""

    at: int
    lastgroup: str = ""

    def start(self) -> int:
        return self.at

    def end(self) -> int:
        return self.at + 1


def _native_commas(text: str, start: int, end: int) -> tuple[_Comma, ...]:
    if "،" not in text[start:end]:
        return ()
    return _native_commas_of(text, start, end)


@lru_cache(maxsize=256)
def _native_commas_of(text: str, start: int, end: int) -> tuple[_Comma, ...]:
    """Once per sentence: clause_of asks for every phrase and date of it."""
    commas = []
    for _kind, pattern in native_events.triggers():
        for phrase in pattern.finditer(text, start, end):
            after = _COMMA_AFTER.match(text, phrase.end(), end)
            if after:
                commas.append(_Comma(after.end() - 1))
    return tuple(commas)


_COMMA_AFTER = re.compile(r"\s*،")


def _boundaries(text: str, start: int, end: int, holes: list[tuple[int, int]] = ()):
    found = [*_CLAUSE_BOUNDARY.finditer(text, start, end), *_native_commas(text, start, end)]
    for boundary in sorted(found, key=lambda b: b.start()):
        if any(s <= boundary.start() < e for s, e in holes):
            continue
        if boundary.lastgroup == "preposition":
            words = text[boundary.end():end].split(",")[0].split(".")[0]
            if not _FINITE_VERB.match(words):
                continue
        yield boundary


def clause_of(text: str, start: int, end: int, position: int) -> Clause:
    """The clause of the sentence text[start:end] that holds `position`: a relative clause set
    between commas is its own clause, and a hole in the clause around it."""
    holes = relative_clauses(text, start, end)
    inside = next(((s, e) for s, e in holes if s <= position < e), None)
    if inside is not None:
        return Clause(inside[0], inside[1], "")
    clause_start, clause_end, opened_by = start, end, ""
    for boundary in _boundaries(text, start, end, holes):
        if boundary.end() <= position:
            clause_start = boundary.end()
            opened_by = boundary.lastgroup if boundary.lastgroup in ("reported", "meanwhile") else ""
        elif boundary.start() > position:
            clause_end = boundary.start()
            break
    return Clause(clause_start, clause_end, opened_by, tuple((s, e) for s, e in holes if clause_start <= s < clause_end))


def _is_real(text: str, clause_start: int, phrase: re.Match, kind: str) -> bool:
    before = text[clause_start:phrase.start()]
    if UNREAL.search(before) or _PURPOSE.search(before):
        return False
    if kind == EventKind.AGREEMENT and re.search(r"\bagreed\s+to\s+\w+$", before.strip(), re.IGNORECASE):
        return False
    return not _UNREAL_AFTER.match(text, phrase.end())


def _participants(text: str, actors: list[Located], clause: Clause | tuple[int, int], previous: list[Located]) -> list[ActorKey]:
    """People and organizations of a clause, leaving out organizations in a person's title or
    apposition and whoever only reports the event."""
    clause = clause if isinstance(clause, Clause) else Clause(*clause, "")
    start, end = clause.start, clause.end
    inside = [a for a in actors if clause.holds(a.start)]
    # 'He met President Ghani': he is the person the story named last as a subject.
    if _SUBJECT_PRONOUN.match(text, start) and previous:
        subject = next((a for a in reversed(previous) if a.key[0] in {"person", "new"}), None)
        if subject is not None and all(a.key != subject.key for a in inside):
            inside.insert(0, subject)
    # A clause opening with 'who' is about the actor just before it.
    if re.match(r"\s*(?:who|whose|which|جو)\b", text[start:end], re.IGNORECASE) and previous:
        inside.insert(0, previous[-1])
    chosen: list[ActorKey] = []
    for index, actor in enumerate(inside):
        if _REPORTER_BEFORE.search(text, max(0, actor.start - 20), actor.start) or (
            actor.key[0] == "organization" and _REPORTER_AFTER.match(text, actor.end, end)
        ):
            continue
        if actor.start > 0 and text[actor.start - 1] == "(":
            continue  # '(GHQ)', '(ISI)': the name just before, again
        if actor.key[0] == "organization" and re.search(r"\bat\s+(?:the\s+)?$", text[max(0, actor.start - 8):actor.start]):
            continue  # 'at the General Headquarters': where, not who
        if actor.key[0] == "organization":
            following = next((a for a in inside[index + 1:] if a.key[0] in {"person", "new"}), None)
            gap = text[actor.end:following.start] if following else ""
            if following and _TITLE_GAP.match(gap) and not _AND.search(gap):
                continue
            person_before = next((a for a in reversed(inside[:index]) if a.key[0] in {"person", "new"}), None)
            if person_before and _APPOSITION_ROLE.match(text[person_before.end:actor.start]):
                continue
        if actor.key not in chosen:
            chosen.append(actor.key)
    return chosen


def _place(
    places: list[Located], place_kind: dict[int, str], clause: tuple[int, int], text: str,
    dateline: tuple[str, int] | None = None,
):
    """The most specific place the clause puts the event in ('in Doha', 'at Bagram', 'visited Kabul'),
    else the dateline's place (for the opening sentence), else a country the clause puts it in."""
    start, end = clause
    inside = [p for p in places if start <= p.start < end]
    # A city named as an actor ('with Washington pressing') is not where it happened.
    specific = [
        p for p in inside if place_kind.get(p.key[1]) != "country" and (
            place_kind.get(p.key[1]) == "venue" or _WHERE.search(text, max(start, p.start - 25), p.start)
            or _NATIVE_WHERE.search(text, max(start, p.start - 25), p.start) or _NATIVE_WHERE_AFTER.match(text, p.end))
    ]
    if specific:
        return min(specific, key=lambda p: PLACE_RANK.get(place_kind.get(p.key[1], ""), 9)).key
    if dateline is not None:
        return dateline
    for p in inside:
        if re.search(r"\b(?:in|to|at|visited|visit)\s+(?:the\s+)?$", text[max(start, p.start - 12):p.start], re.IGNORECASE):
            return p.key
    return None


_DATES_WHAT_FOLLOWS = re.compile(r"\b(?:after|before)$", re.IGNORECASE)
_CLAUSE_ENDS = re.compile(r"\s*(?:[,.;:!?]|$)")


def _dates_what_follows(text: str, dated: DateAt) -> bool:
    """'a day after the talks ended' dates the talks' day, not the event's; 'had met him in Doha the day
    before.' (nothing follows) is the event's own day."""
    return bool(_DATES_WHAT_FOLLOWS.search(text, dated.start, dated.end)) and not _CLAUSE_ENDS.match(text, dated.end)
_AFTER_SOMETHING = re.compile(r"\b(?:after|before|following|since|until|ahead\s+of)\b", re.IGNORECASE)


def _date_for(text: str, dates: list[DateAt], clause: Clause, phrase: re.Match) -> DateAt | None:
    """The date expression of the clause nearest the phrase, after it first."""
    inside = [
        d for d in dates
        if clause.holds(d.start) and d.modifier not in _NOT_AN_EVENT_DATE
        and d.date.precision in (DatePrecision.DAY, DatePrecision.MONTH)
    ]
    # 'attacked Kunduz a day after the talks ended', 'agreed ..., after his inauguration on Monday':
    # that day is the talks', the inauguration's, not the event's.
    after = [
        d for d in inside
        if d.start >= phrase.end() and not _dates_what_follows(text, d)
        and not _AFTER_SOMETHING.search(text, phrase.end(), d.start)
    ]
    before = [d for d in inside if d.end <= phrase.start()]
    # 'اجلاس اتوار کو ... منعقد ہوا' (the session was held on Sunday): a phrase in a verb-last
    # language may hold its own date.
    within = [d for d in inside if phrase.start() <= d.start and d.end <= phrase.end()]
    if within:
        return within[0]
    if after:
        return min(after, key=lambda d: d.start)
    if before:
        return max(before, key=lambda d: d.start)
    return None


def _action(text: str, phrase: re.Match, clause_end: int) -> str:
    words = phrase.group(0).strip()
    following = _OBJECT_WORDS.match(text, phrase.end(), clause_end)
    if following:
        words += " " + " ".join(following.group(1).split())
    return words.rstrip(",. ")


def _confidence(event: ExtractedEvent, dated_in_clause: bool) -> float:
    score = 0.45 + (0.2 if event.date.precision == DatePrecision.DAY else 0.0)
    score += 0.1 if dated_in_clause else 0.0
    score += min(0.15, 0.05 * len(event.participants)) + (0.05 if event.place else 0.0)
    return round(min(score, 0.95), 2)


def extract_events(
    text: str,
    sentences: tuple[tuple[int, int], ...],
    actors: list[Located],
    places: list[Located],
    dates: list[DateAt],
    place_kind: dict[int, str],
    dateline_place: tuple[str, int] | None,
    markers: list[tuple[str, int, int]],
    *,
    reference: ResolvedDate | None = None,
    dateline_date: ResolvedDate | None = None,
) -> list[ExtractedEvent]:
    """Every event candidate of the text (see the module's docstring), merged.

    `actors`, `places`: mentions in text order; `dates`: the text's resolved dates in order;
    `markers`: the matcher's "event:<kind>" markers, in text order; `reference`: the publication day.
    """
    events: list[ExtractedEvent] = []
    pending: tuple[int, DateAt] | None = None  # (sentence number, date) of a dated sentence without event
    lede: DateAt | None = None  # the opening sentence's day
    told: list[tuple[int, ExtractedEvent]] = []  # (sentence number, event)
    opening_undated = False
    by_marker = _per_sentence([m[1] for m in markers], sentences)
    by_date = _per_sentence([d.start for d in dates], sentences)
    latest = reference.day if reference is not None else None
    for number, (start, end) in enumerate(sentences):
        in_markers = markers[by_marker[number]:by_marker[number + 1]]
        in_dates = dates[by_date[number]:by_date[number + 1]]
        present = {category for category, _s, _e in in_markers}
        sentence_events = _deadlines(text, (start, end), actors, places, in_dates, place_kind)
        if present:
            sentence_events += _sentence_events(
                text, (start, end), present, actors, places, in_dates, place_kind,
                carried=pending[1] if pending and pending[0] == number - 1 else None,
                opening=dateline_date if number == 0 else None,
                dateline_place=dateline_place if number == 0 else None, lede=lede,
            )
        if not sentence_events and events and "event:attended" in present and _ALSO_ATTENDED.search(text, start, end):
            for key in _participants(text, actors, (start, end), []):
                if key not in events[-1].participants:
                    events[-1].participants.append(key)
        recent = [e for n, e in told if number - n <= _ELABORATION_REACH]
        if not sentence_events and _DELEGATION_MEMBERS.match(text, start):
            _add_members(text, (start, end), actors, recent)
        elif not sentence_events and not in_dates and native_events.DELEGATION_LED.search(text, start, end):
            _add_members(text, (start, end), actors, [e for e in recent if e.kind in _ELABORATED_KINDS], any_event=True)
        if not sentence_events and not in_dates and present:
            _elaborate(text, (start, end), present, actors, [e for n, e in told if number - n <= _ELABORATION_REACH])
        if latest is not None:
            sentence_events = [
                e for e in sentence_events
                if e.kind == EventKind.DEADLINE or e.date.day <= latest + _SLACK
            ]
        events.extend(sentence_events)
        told.extend((number, e) for e in sentence_events)
        past_days = [d for d in in_dates if d.tense == "past" and d.modifier not in _NOT_AN_EVENT_DATE]
        reported = any(e.stands_alone for e in sentence_events)
        pending = (number, past_days[0]) if past_days and not reported else None
        if number == 0 and not in_dates:
            opening_undated = True  # a dateline on a line of its own: the story's day is the next sentence's
        if (
            lede is None and past_days and past_days[0].date.precision == DatePrecision.DAY
            and (number == 0 or (number == 1 and opening_undated))
        ):
            lede = past_days[0]
    return _merge(events)


# How many sentences back an undated sentence may say more of an event ('The agreement was signed
# by X and Y', after the sentence that dated the signing and one more about something else).
_ELABORATION_REACH = 2
_ELABORATED_KINDS = {EventKind.AGREEMENT, EventKind.MEETING, EventKind.VISIT, EventKind.TALKS, EventKind.CONFERENCE}


# 'The delegation is led by X', 'It includes X, Y and Z': who made up the delegation an event just
# reported was about.
_DELEGATION_MEMBERS = re.compile(
    r"\s*(?:(?:The|This|That|Its|Their|His)\s+(?:[\w-]+\s+){0,2}?delegation\s+(?:(?:is|was|were)\s+)?"
    r"(?:led|headed|includes?|included|comprised|comprises|consists|consisted)\b|It\s+(?:includes|included|comprised)\b)"
)
_DELEGATION = re.compile(r"\bdelegation\b", re.IGNORECASE)
# 'the Speaker of the Wolesi Jirga', 'brother of the late commander X': named as a relation, not a member.
_RELATION_OF = re.compile(r"\bof\s+(?:the\s+)?(?:late\s+)?(?:[\w'’-]+\s+){0,2}$", re.IGNORECASE)


def _add_members(
    text: str, span: tuple[int, int], actors: list[Located], recent: list[ExtractedEvent], *, any_event: bool = False,
) -> None:
    """The people a sentence names as members of a delegation join the latest event whose clause
    is about a delegation (`any_event`: the latest event, for 'the Afghan delegation was led by X')."""
    about = recent if any_event else [e for e in recent if _DELEGATION.search(text, e.sentence[0], e.phrase[0])]
    if not about:
        return
    # The latest sentence's first event after the word: 'A delegation arrived ... as fighters entered ...'.
    event = max(about, key=lambda e: (e.sentence[0], -e.phrase[0]))
    start, end = span
    for actor in actors:
        if not start <= actor.start < end or actor.key[0] not in ("person", "new"):
            continue
        if _RELATION_OF.search(text, max(start, actor.start - 40), actor.start):
            continue
        if actor.key not in event.participants:
            event.participants.append(actor.key)


def _elaborate(
    text: str, span: tuple[int, int], present: set[str], actors: list[Located], recent: list[ExtractedEvent],
) -> None:
    """An undated sentence whose event phrase is of the kind of an event just reported says who took
    part in it ('ایالات متحده و طالبان امروز توافقنامه‌ای را امضا کردند. این توافقنامه را خلیلزاد و
    برادر امضا کردند'): its participants join that event, which gains no date or kind from it."""
    start, end = span
    for kind, pattern in KIND_TRIGGERS:
        if kind not in _ELABORATED_KINDS or f"event:{kind}" not in present:
            continue
        event = next((e for e in reversed(recent) if e.kind == kind), None)
        if event is None:
            continue
        for phrase in pattern.finditer(text, start, end):
            clause = clause_of(text, start, end, phrase.start())
            if not _is_real(text, clause.start, phrase, kind):
                continue
            previous = [a for a in actors if a.start < clause.start]
            for key in _participants(text, actors, clause, previous):
                if key not in event.participants:
                    event.participants.append(key)
            break


def _sentence_events(
    text: str, span: tuple[int, int], present: set[str], actors: list[Located], places: list[Located],
    dates: list[DateAt], place_kind: dict[int, str], *, carried: DateAt | None, opening: ResolvedDate | None,
    dateline_place: tuple[str, int] | None, lede: DateAt | None = None,
) -> list[ExtractedEvent]:
    """The events of one sentence: one per clause, the first event phrase of each (see the module)."""
    start, end = span
    found: list[ExtractedEvent] = []
    taken: list[tuple[int, int]] = []  # the clauses that already gave an event
    phrases = sorted(
        ((match.start(), match, kind) for kind, pattern in KIND_TRIGGERS
         if f"event:{kind}" in present for match in pattern.finditer(text, start, end)),
        key=lambda found: found[0],
    )
    for offset, phrase, kind in phrases:
        clause = clause_of(text, start, end, offset)
        bounds = (clause.start, clause.end)
        if bounds in taken or not _is_real(text, clause.start, phrase, kind):
            continue
        dated = _date_for(text, dates, clause, phrase)
        if dated is not None and dated.tense == "future":
            continue
        date_text = dated.words(text) if dated else ""
        sentence_days = [
            d for d in dates
            if d.tense == "past" and d.modifier not in _NOT_AN_EVENT_DATE and d.date.precision == DatePrecision.DAY
        ]
        if dated is not None:
            date = dated.date
        elif _PERFECT.search(text, clause.start, phrase.start()):
            continue  # 'has repeatedly urged': no one day, unless the clause gives it
        elif clause.opened_by == "meanwhile" and len(sentence_days) == 1:
            # 'said on Thursday ..., as the Taliban captured Ghazni': the same day.
            date, date_text = sentence_days[0].date, text[sentence_days[0].start:sentence_days[0].end]
        elif clause.opened_by == "reported" and len(sentence_days) == 1:
            # 'said on Tuesday that the Taliban had barred ...': by then, so no more than its month.
            reported = sentence_days[0].date
            date = ResolvedDate(reported.day.replace(day=1), DatePrecision.MONTH)
            date_text = f"reported {text[sentence_days[0].start:sentence_days[0].end]}"
        elif carried is not None and kind in _CARRY_DATE_KINDS and (_CONTINUES.match(text, start) or _same_subject(actors, start, carried)):
            date, date_text = carried.date, "the sentence before"
        elif opening is not None and clause.start == start:
            date, date_text = opening, "the dateline"
        elif lede is not None and kind == EventKind.STATEMENT and _CONTINUES.match(text, start):
            # 'In a joint statement, the participants called for ...': the day the story reports.
            date, date_text = lede.date, "the opening of the story"
        elif (
            lede is not None and kind == EventKind.STATEMENT and not dates and _NATIVE.search(phrase.group(0))
            and not native_events.EARLIER.search(text, clause.start, clause.end)
            and any(a.key[0] == "person" and clause.holds(a.start) and a.start < phrase.start() for a in actors)
        ):
            # 'حامد کرزی نیز در پیامی ویدیویی اعلام کرد ...': Dari, Pashto and Urdu news tell the
            # statements of the story's day without repeating the day (an earlier one says so), when
            # the sentence names its speaker and no day at all.
            date, date_text = lede.date, "the opening of the story"
        elif lede is not None and kind == EventKind.MEETING and _BY_PHONE.search(text, clause.start, clause.end):
            # 'Ghani said he had spoken with Biden by phone': a call the story reports is of its day.
            date, date_text = lede.date, "the opening of the story"
        elif lede is not None and clause.start == start and _ELSEWHERE.match(text, start):
            # 'In Brussels, Blinken and Austin met their NATO counterparts': the story's day, elsewhere.
            date, date_text = lede.date, "the opening of the story"
        else:
            continue
        if date.precision in (DatePrecision.YEAR, DatePrecision.APPROXIMATE):
            continue
        before_clause = [a for a in actors if a.start < clause.start]
        participants = _participants(text, actors, clause, before_clause)
        if _OBJECT_PRONOUN.search(phrase.group(0)):
            # 'Ghani received him again': him is the person the story is about.
            subject = _story_subject(before_clause)
            if subject is not None and subject not in participants:
                participants.append(subject)
        if kind == EventKind.ATTACK and native_events.NO_ATTACKER.search(phrase.group(0)):
            participants = []
        if kind == EventKind.STATEMENT:
            # Who spoke; whom they addressed did not take part. 'A message in which he said', 'in
            # his voice': the one the story is about, whoever released it.
            speaker = _story_subject(before_clause) if _SPOKEN_BY_HIM.search(text, clause.start, clause.end) else None
            if speaker is None and not participants and _SAYING.match(text, clause.start):
                # '..., saying in an interview aired on Wednesday that ...': the sentence's subject spoke.
                speaker = next((a.key for a in before_clause if a.start >= start and a.key[0] in ("person", "new")), None)
            if speaker is None and not participants and _NATIVE_SUBJECT.match(text, clause.start):
                # 'وزیراعظم نے یہ بات پیر کو ... خطاب کرتے ہوئے کہی': the title or pronoun stands for
                # the person the story is about.
                speaker = _story_subject(before_clause)
            participants = [speaker] if speaker is not None else participants[:1]
        if kind == EventKind.STATEMENT:
            place = dateline_place  # where it was said is seldom written: the dateline's, for the opening
        else:
            place = _place(places, place_kind, bounds, text, dateline_place if kind != EventKind.VISIT else None)
        event = ExtractedEvent(
            kind, date, span, participants, place, phrase=(phrase.start(), phrase.end()), date_text=date_text,
            subjects=[k for k in participants if any(a.key == k and a.start < phrase.start() for a in actors)],
            action=_action(text, phrase, clause.end),
        )
        event.separate = bool(
            _ALSO.search(text, max(clause.start, phrase.start() - 6), phrase.start()) or _AGAIN.match(text, phrase.end())
        )
        event.confidence = _confidence(event, dated is not None)
        found.append(event)
        taken.append(bounds)
    return found


_NATIVE = re.compile(r"[\u0600-\u06ff]")
_BY_PHONE = re.compile(r"\bby\s+(?:tele)?phone\b|\bphone\s+call\b", re.IGNORECASE)
_OBJECT_PRONOUN = re.compile(r"\b(?:him|her)$", re.IGNORECASE)
_AGAIN = re.compile(r"\s*(?:\w+\s+)?again\b", re.IGNORECASE)  # 'received him again', 'met Ghani again'
_ALSO = re.compile(r"\balso\s+$", re.IGNORECASE)
_PERFECT = re.compile(r"\b(?:has|have)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_ELSEWHERE = re.compile(r"\s*(?:In|At)\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?,\s")
# A sentence opening with a bare title or a pronoun ('the prime minister', 'he') in Dari, Pashto or Urdu.
_NATIVE_SUBJECT = re.compile(unify_letters(
    r"\s*(?:وزیراعظم|وزیر\s*اعظم|صدر|رئیس\s*جمهور|رییس\s*جمهور|ولسمشر|وی|هغه|انہوں|وہ)\s"
))
_SAYING = re.compile(r"\s*(?:saying|adding)\b", re.IGNORECASE)
_SPOKEN_BY_HIM = re.compile(r"\bin\s+which\s+(?:he|she)\s+(?:said|says|spoke)\b|\bin\s+(?:his|her)\s+(?:own\s+)?voice\b", re.IGNORECASE)


def _story_subject(actors: list[Located]) -> ActorKey | None:
    """The person named most often so far: whom 'he' means in a story about one person."""
    counts: dict[ActorKey, int] = {}
    for actor in actors:
        if actor.key[0] in ("person", "new"):
            counts[actor.key] = counts.get(actor.key, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else None


def _same_subject(actors: list[Located], start: int, carried: DateAt) -> bool:
    """Whether a sentence goes on about whom the sentence before (which holds `carried`) named:
    its first person or organization is named there too ('Biden told ... on Friday. Biden met ...')."""
    first = next((a for a in actors if a.start >= start), None)
    return first is not None and any(
        a.key == first.key and carried.start - 400 < a.start < start for a in actors
    )


def _deadlines(
    text: str, span: tuple[int, int], actors: list[Located], places: list[Located], dates: list[DateAt],
    place_kind: dict[int, str],
) -> list[ExtractedEvent]:
    """A day by which something was set to happen ('all troops would leave by 11 September', as
    announced or agreed): a deadline event, dated on that day. A proposed or rumoured one is not."""
    start, end = span
    found = []
    for dated in dates:
        named = bool(_NAMED_DEADLINE.match(text, dated.end))
        if (dated.modifier not in _DEADLINE_MODIFIERS and not named) or dated.date.precision != DatePrecision.DAY:
            continue
        found_clause = clause_of(text, start, end, dated.start)
        clause = (found_clause.start, found_clause.end)
        window = text[max(start, dated.start - 80):dated.start]
        native = native_events.DEADLINE_ACTION.search(text, dated.end, found_clause.end) and native_events.DEADLINE_SET.search(text, start, end)
        if not native and (not (named or _DEADLINE_ACTION.search(window)) or not _DEADLINE_SET.search(text, start, end)):
            continue
        if _PROPOSED.search(text, start, end):
            continue
        participants = _participants(text, actors, clause, [a for a in actors if a.start < clause[0]])
        place = _place(places, place_kind, clause, text)
        if not (participants or place):
            continue
        event = ExtractedEvent(
            EventKind.DEADLINE, dated.date, span, participants, place, phrase=(dated.start, dated.end),
            date_text=dated.words(text), subjects=list(participants[:1]),
            action=" ".join(window.split()[-4:]) + " " + text[dated.start:dated.end],
        )
        event.confidence = _confidence(event, True)
        found.append(event)
    return found


def _per_sentence(positions: list[int], sentences: tuple[tuple[int, int], ...]) -> list[int]:
    """Index bounds: the items of sentence n are items[bounds[n]:bounds[n + 1]]."""
    return [bisect.bisect_left(positions, start) for start, _end in sentences] + [len(positions)]


# A visit and a meeting or talks on the same day with a shared participant are one trip: the
# meeting says more ('visited Islamabad on March 8' and 'called on General Bajwa on Monday').
_ONE_TRIP = {EventKind.VISIT, EventKind.MEETING, EventKind.TALKS}
_MOST_SPECIFIC = {EventKind.MEETING: 0, EventKind.TALKS: 1, EventKind.VISIT: 2}


def _one_happening(a: ExtractedEvent, b: ExtractedEvent) -> bool:
    """Of one kind within a day, or a visit and a meeting of the same day and place."""
    if a.kind == b.kind:
        return abs((a.date.day - b.date.day).days) <= 1
    return (
        a.kind in _ONE_TRIP and b.kind in _ONE_TRIP and a.date.day == b.date.day
        and (a.place == b.place or a.place is None or b.place is None)
    )


def _merge(events: list[ExtractedEvent]) -> list[ExtractedEvent]:
    """Events of one kind within a day of each other that share a participant (or, with none on
    either side, a place) are one; so are a visit and a meeting of the same day and people."""
    merged: list[ExtractedEvent] = []
    for event in events:
        twin = next(
            (
                m for m in merged
                if not event.separate and _one_happening(m, event)
                and m.date.precision == event.date.precision
                and (set(m.participants) & set(event.participants) or (
                    not (m.participants or event.participants) and m.place == event.place))
            ),
            None,
        )
        if twin is None:
            merged.append(event)
            continue
        if _MOST_SPECIFIC.get(event.kind, 9) < _MOST_SPECIFIC.get(twin.kind, 9):
            twin.kind, twin.sentence, twin.phrase, twin.action = event.kind, event.sentence, event.phrase, event.action
            twin.subjects = event.subjects
        twin.participants.extend(k for k in event.participants if k not in twin.participants)
        twin.place = twin.place or event.place
        twin.confidence = max(twin.confidence, event.confidence)
    return merged
