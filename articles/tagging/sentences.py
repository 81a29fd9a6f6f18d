"""Sentence spans of a text, as offsets into it, so every finding can be placed in its sentence."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

# A full stop (or ! ?, Urdu's full stop ۔ and the Arabic-script question mark ؟), optional closing
# quotes, then space and anything but a lowercase letter.
_BOUNDARY = re.compile(r"[.!?\u06d4\u061f]+[\"'”’»)\]]*\s+(?=[^\sa-z])|\n\s*")
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "lt", "gen", "col", "maj", "brig", "capt", "sen", "rep", "gov", "prof",
    "no", "vs", "jan", "feb", "aug", "sept", "oct", "nov", "dec", "inc", "co", "jr", "sr", "adm", "messrs",
    "u.s", "u.n", "u.k", "e.g", "i.e", "lt.gen", "approx", "est",
}


@dataclass(frozen=True)
class Sentences:
    """Sentence spans in order; `index_of(offset)` finds the sentence holding an offset."""

    spans: tuple[tuple[int, int], ...]
    starts: tuple[int, ...]

    def index_of(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)


def _ends_with_abbreviation(text: str, dot: int) -> bool:
    start = dot
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    word = text[start:dot].lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and text[start].isupper())


def split_sentences(text: str) -> Sentences:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if text[match.start()] == "." and _ends_with_abbreviation(text, match.start()):
            continue
        end = match.end()
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    return Sentences(tuple(spans), tuple(s for s, _ in spans))
