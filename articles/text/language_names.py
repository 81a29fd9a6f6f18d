"""Languages for the pages: a code's direction of writing and its English name, from CLDR (Babel).

Django's own `LANG_INFO` would do for direction and names but has no Pashto and calls `fa`
Persian; CLDR has both, and names the Persian of Afghanistan (`fa_AF`) Dari. Newsroom follows the
Afghan press, so `fa` is named as it is written there: Dari.
"""

from __future__ import annotations

import re
from functools import cache

from babel import Locale, UnknownLocaleError

# Where a language is named as its region writes it: the Persian of Afghan outlets is Dari.
NAMED_AS_IN = "AF"
# A BCP 47 tag as outlets and the language detector write it: a primary subtag, then others.
_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")


def _primary(code: str) -> str:
    return re.split(r"[-_]", code, maxsplit=1)[0].lower()


@cache
def _locale(code: str) -> Locale | None:
    if not _TAG.fullmatch(code or ""):
        return None
    try:
        return Locale.parse(_primary(code))
    except (UnknownLocaleError, ValueError):
        return None


def is_known_language(code: str) -> bool:
    """Whether `code` is a language tag whose language CLDR knows (fa, ps, ur, en, en-US...)."""
    return _locale(code) is not None


@cache
def _english_names() -> dict[str, str]:
    return dict(Locale("en").languages)


def language_direction(code: str) -> str:
    """'rtl' for a language written right to left (fa, ps, ur, ar), 'ltr' for another known one,
    'auto' when the language is unknown (the browser then reads the direction off the text)."""
    locale = _locale(code)
    if locale is None:
        return "auto"
    return "rtl" if locale.character_order == "right-to-left" else "ltr"


def language_name(code: str) -> str:
    """The language's English name ('Dari', 'Pashto', 'Urdu', 'English'); the code itself when unknown."""
    names = _english_names()
    primary = _primary(code or "")
    return names.get(f"{primary}_{NAMED_AS_IN}") or names.get(primary) or code
