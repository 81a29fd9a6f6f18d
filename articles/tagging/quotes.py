"""Direct quotations and who the text says spoke them.

1. Quotation marks are paired in order within a paragraph, whatever their direction (texts do
   close a quote with an opening mark); a quotation needs four words, so scare quotes are left.
2. The speaker is read from the words right after the quotation (',” says a press release issued
   by the ISPR', '," he said'), else right before it ('Khalilzad said: “...'); 'he' or 'she' is the
   first person named in the nearest sentence before that names one; 'the statement' or 'it'
   is whoever last issued a statement, letter or release.
3. A quotation with no attribution that follows another, or a sentence about a statement, takes
   that speaker: a statement is often quoted over several paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from articles.text.lexicon import SPEECH_VERBS

from .events import ActorKey, Located

_QUOTE_MARKS = re.compile(r"[\"“”„«»]")
_SPEECH = "|".join(sorted(SPEECH_VERBS, key=len, reverse=True))
_AFTER = re.compile(rf"^[\s,.;:]*(?:(?P<verb_first>{_SPEECH})\b|(?P<subject>[^.\"“”]{{1,80}}?)\s+(?:{_SPEECH})\b|according\s+to\b)", re.IGNORECASE)
_SPEECH_IN = re.compile(rf"\b(?:{_SPEECH}|according\s+to)\b", re.IGNORECASE)
_IT = re.compile(r"^\W*it\b", re.IGNORECASE)
_PRONOUN = re.compile(r"^\W*(?:he|she)\b", re.IGNORECASE)
_DOCUMENT = re.compile(r"\b(?:it|statement|letter|release|message|communique|communiqué|document|post)\b", re.IGNORECASE)
# A sentence that brings in a document: its first actor is who issued it.
_ISSUED = re.compile(
    r"\b(?:a|an)\s+(?:[\w-]+\s+){0,2}(?:statement|letter|press\s+release|release|message|communiqu[eé]|tweet|post)\b",
    re.IGNORECASE)
_MIN_WORDS = 4


@dataclass(frozen=True)
class ExtractedQuote:
    text: str
    start: int
    speaker: ActorKey
    attribution: str


def _first_actor(actors: list[Located], start: int, end: int, people_only: bool = False) -> Located | None:
    for actor in actors:
        if start <= actor.start < end and (not people_only or actor.key[0] in {"person", "new"}):
            return actor
        if actor.start >= end:
            break
    return None


def _pairs(text: str) -> list[tuple[int, int]]:
    pairs = []
    for paragraph in re.finditer(r"[^\n]+", text):
        marks = [m.start() for m in _QUOTE_MARKS.finditer(text, paragraph.start(), paragraph.end())]
        pairs.extend((marks[i] + 1, marks[i + 1]) for i in range(0, len(marks) - 1, 2))
    return pairs


def extract_quotes(
    text: str, sentences: tuple[tuple[int, int], ...], actors: list[Located], sentence_of
) -> list[ExtractedQuote]:
    """`actors`: people and organizations in text order (no outlets); `sentence_of(offset)` -> index."""
    quotes: list[ExtractedQuote] = []
    if not _QUOTE_MARKS.search(text):
        return quotes
    issuers: list[tuple[int, Located]] = []  # (offset, who) of each statement, letter or release
    for start, end in sentences:
        sentence = text[start:end]
        if _ISSUED.search(sentence):
            who = _first_actor(actors, start, end)
            if who is not None:
                issuers.append((start, who))

    def last_issuer(before: int, recent: bool = False) -> Located | None:
        candidates = [(offset, who) for offset, who in issuers if offset <= before]
        if not candidates or (recent and sentence_of(candidates[-1][0]) < sentence_of(before) - 2):
            return None
        return candidates[-1][1]

    def pronoun_person(before: int) -> Located | None:
        index = sentence_of(before)
        for s_start, s_end in reversed(sentences[:index + 1]):
            person = _first_actor(actors, s_start, min(s_end, before), people_only=True)
            if person is not None:
                return person
        return None

    previous: ExtractedQuote | None = None
    for q_start, q_end in _pairs(text):
        quoted = " ".join(text[q_start:q_end].split()).strip()
        if len(quoted.split()) < _MIN_WORDS:
            continue
        s_index = sentence_of(q_start)
        s_start = sentences[s_index][0] if sentences else 0
        paragraph_end = text.find("\n", q_end)
        window_end = min(len(text), q_end + 160, paragraph_end if paragraph_end != -1 else len(text))
        after = text[q_end + 1:window_end]
        speaker: Located | None = None
        attribution = ""
        match = _AFTER.match(after)
        if match:
            # The attributing clause runs to the end of its sentence or the next quotation mark.
            stop = re.search(r"[.!?]\s|[\"“”]", after[match.end():])
            clause_end = q_end + 1 + match.end() + (stop.start() if stop else len(after) - match.end())
            attribution = text[q_end + 1:clause_end].strip(" ,")
            subject = match.group("subject") or ""
            if _PRONOUN.match(subject):
                speaker = pronoun_person(q_start)
            else:
                speaker = _first_actor(actors, q_end + 1, clause_end)
                if speaker is None and _DOCUMENT.search(attribution):
                    speaker = last_issuer(q_start)
        if speaker is None:
            before = text[s_start:q_start - 1]
            lead = _SPEECH_IN.search(before)
            if lead:
                attribution = before.strip()
                subject_end = s_start + lead.start()
                if _PRONOUN.match(before):
                    speaker = pronoun_person(s_start)
                elif _IT.match(before):
                    speaker = last_issuer(q_start)
                else:
                    found = [a for a in actors if s_start <= a.start < subject_end]
                    speaker = found[-1] if found else _first_actor(actors, subject_end, q_start)
                if speaker is None and _DOCUMENT.search(before[:lead.start()]):
                    speaker = last_issuer(q_start)
        if speaker is None and not attribution:
            # An unattributed quotation quotes the statement just reported, or continues the one before.
            issued = [offset for offset, _ in issuers if offset <= q_start]
            issuer = last_issuer(q_start, recent=True)
            if issuer is not None and (previous is None or issued[-1] > previous.start):
                speaker, attribution = issuer, "statement"
            elif previous is not None and sentence_of(previous.start) >= s_index - 3:
                quotes.append(ExtractedQuote(quoted, q_start, previous.speaker, previous.attribution))
                previous = quotes[-1]
                continue
        if speaker is not None:
            previous = ExtractedQuote(quoted, q_start, speaker.key, " ".join(attribution.split())[:300])
            quotes.append(previous)
    return quotes
