"""Text hygiene at the door: the characters that change how a text looks or reads without being text.

Everything stored from outside (titles, bylines, datelines, outlet names, bodies) passes here
first, so no page, feed, export or API answer can carry them:

- format characters (Unicode category Cf): bidirectional overrides, embeddings, isolates and
  marks (U+202E turns "txt.exe" into "exe.txt" on screen and lets one title pass for another),
  zero-width spaces, the word joiner, the byte-order mark, soft hyphens;
- private-use characters (Co): they mean nothing outside their private agreement, and our own
  code uses two of them as highlight markers (`articles/browse/search.py`);
- lone surrogates (Cs), which no database can store as UTF-8;
- control characters (Cc) other than tab and newline: XML 1.0 cannot carry them (Django's
  feed writer refuses them), and readers that split lines on them would cut a record in two.
  Those that break lines (CR, VT, FF, the information separators, NEL) become a newline, as do
  the line and paragraph separators (U+2028, U+2029).

The exception a script needs: the zero-width non-joiner (U+200C) and joiner (U+200D) between
two letters of the Arabic script, where Persian, Pashto and Urdu use them inside a word
("می‌خواهم"); a run of invisible characters there becomes the one joiner it holds.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache

ZWNJ, ZWJ = "\u200c", "\u200d"
LINE_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines() splits on, besides \n
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u0870-\u08ff\ufb50-\ufdff\ufe70-\ufefc]")


@lru_cache(maxsize=1)
def invisible_ranges() -> tuple[tuple[int, int], ...]:
    """The code points `visible` removes or turns into a newline, as (first, last) ranges.

    Built from the running Python's Unicode tables on first use (0.2 s), not written out by hand.
    """
    ranges: list[tuple[int, int]] = []
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char in "\t\n" or unicodedata.category(char) not in ("Cf", "Co", "Cs", "Cc", "Zl", "Zp"):
            continue
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return tuple(ranges)


@lru_cache(maxsize=1)
def _invisible_run() -> re.Pattern[str]:
    character_class = "".join(
        re.escape(chr(first)) if first == last else f"{re.escape(chr(first))}-{re.escape(chr(last))}"
        for first, last in invisible_ranges()
    )
    return re.compile(f"[{character_class}]+")


def _is_arabic_letter(char: str) -> bool:
    return bool(ARABIC_SCRIPT.match(char)) and unicodedata.category(char)[0] in "LM"


def visible(text: str, *, one_line: bool = False) -> str:
    """`text` without invisible characters (see the module's docstring); line breaks become "\\n",
    or a space when `one_line` (a title, a byline, a name)."""
    pattern = _invisible_run()
    if not pattern.search(text):
        return text
    text = text.replace("\r\n", "\n")
    newline = " " if one_line else "\n"

    def replace(match: re.Match[str]) -> str:
        run = match.group()
        start, end = match.span()
        if (ZWNJ in run or ZWJ in run) and start > 0 and end < len(text) \
                and _is_arabic_letter(text[start - 1]) and _is_arabic_letter(text[end]):
            return ZWNJ if ZWNJ in run else ZWJ
        if any(char in LINE_BREAKS for char in run):
            return newline * (2 if "\u2029" in run and not one_line else 1)
        return ""

    return pattern.sub(replace, text)
