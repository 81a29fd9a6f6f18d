"""Text normalisation for matching names: one character in, one character out.

Keeping the length means an offset in the normalised text is the same offset in the original, so
mentions can be highlighted without a position map. str.translate does the work in C, which is
what keeps tagging at well over a thousand articles a second.
"""

import unicodedata
from functools import lru_cache

_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_APOSTROPHES = "'\u2018\u2019\u201a\u201b\u02bc\u02bb\u2032`\u00b4"
_QUOTES = "\u201c\u201d\u201e\u201f\u00ab\u00bb"
# Letters that Unicode does not decompose into a base letter and a mark.
_PLAIN_LETTERS = {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "ı": "i", "ħ": "h", "ŧ": "t"}
_SPACES = "\t\n\r\f\v\u00a0\u2007\u202f\u2009\u200a\u3000"


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x80, 0x2000):
        char = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        if len(base) == 1 and base != char and base.isascii():
            table[code] = base
    table.update({ord(k): v for k, v in _PLAIN_LETTERS.items()})
    # Hyphens become spaces so that "Inter-Services" and "Inter Services" are the same name.
    table.update({ord(c): " " for c in _DASHES + _SPACES})
    table.update({ord(c): "'" for c in _APOSTROPHES})
    table.update({ord(c): '"' for c in _QUOTES})
    return table


def fold(text: str) -> str:
    """Lowercase, strip diacritics, unify apostrophes, quotes, hyphens and spaces; same length."""
    folded = text.translate(_table()).lower()
    if len(folded) != len(text):  # a few characters (such as 'İ') lowercase to two
        folded = "".join(c.translate(_table()).lower()[:1] or " " for c in text)
    return folded


def is_word_char(char: str) -> bool:
    return char.isalnum()


_PUNCTUATION_TO_SPACE = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"})


def word_fold(folded: str) -> str:
    """A folded text with punctuation as spaces, same length: every word stands between spaces,
    so a key written ' word ' can only match whole words."""
    return folded.translate(_PUNCTUATION_TO_SPACE)


# The normal form of Arabic-script text (issue 14, Deliver 1). The letter table is written here
# because no library has it: persiantools and hazm unify only Arabic yeh and kaf to Persian, and
# pyarabic normalises towards the Arabic letters (ي, ك), while the knowledge base and the tagger
# spell names in Persian letters; none folds the Pashto and Urdu letters onto the letters that
# writers without a Pashto or Urdu keyboard type instead. Marks and digits come from Unicode's own
# tables (unicodedata), not from a list.
#
# Arabic yeh, alef maksura and yeh with hamza to Persian yeh; Arabic and swash kaf to keheh;
# hamza carriers and alef forms to their base; teh marbuta (Arabic and Urdu) and heh with yeh or
# hamza above to heh; Pashto letters (ټ ډ ړ ږ ښ ګ ڼ ې ۍ, and ځ څ) and Urdu letters (ے ۓ ں ہ ۂ ھ ٹ
# ڈ ڑ) to the Persian letters that stand for them on other keyboards.
ARABIC_LETTERS = {
    # yeh and kaf
    "ي": "ی", "ى": "ی", "ئ": "ی", "ك": "ک", "ڪ": "ک",
    # alef and hamza forms
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا", "ؤ": "و",
    # heh and teh marbuta
    "ة": "ه", "ۃ": "ه", "ۀ": "ه", "ۂ": "ه", "ە": "ه",
    # Pashto
    "ټ": "ت", "ډ": "د", "ړ": "ر", "ږ": "ژ", "ښ": "ش", "ګ": "گ", "ڼ": "ن", "ې": "ی", "ۍ": "ی", "ځ": "ز", "څ": "س",
    # Urdu
    "ے": "ی", "ۓ": "ی", "ں": "ن", "ہ": "ه", "ھ": "ه", "ٹ": "ت", "ڈ": "د", "ڑ": "ر",
}
ZWNJ, ZWJ = "\u200c", "\u200d"
# Joiners and the bidi controls (LRM, RLM, ALM, LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI):
# they change how a word looks, never which word it is.
INVISIBLE = ZWNJ + ZWJ + "\u200e\u200f\u061c" + "".join(map(chr, range(0x202A, 0x202F))) + "".join(
    map(chr, range(0x2066, 0x206A)))
TATWEEL = "\u0640"


@lru_cache(maxsize=1)
def _arabic_marks() -> str:
    """Harakat, Quranic marks and the superscript alef: the combining marks of the Arabic blocks."""
    return "".join(chr(c) for c in (*range(0x0600, 0x0700), *range(0x0870, 0x0900))
                   if unicodedata.category(chr(c)) == "Mn")


@lru_cache(maxsize=1)
def _digits() -> dict[str, str]:
    """Every decimal digit outside ASCII in the scripts we read (Arabic-Indic, Persian, Devanagari...)
    as its ASCII digit, by Unicode's decimal values."""
    return {chr(c): str(unicodedata.decimal(chr(c))) for c in range(0x0660, 0x0A00)
            if unicodedata.category(chr(c)) == "Nd"}


def dropped_characters() -> str:
    """What the normal form leaves out: marks, tatweel, joiners and bidi controls."""
    return _arabic_marks() + TATWEEL + INVISIBLE


def replaced_characters() -> dict[str, str]:
    """What the normal form replaces, one character by one: Arabic-script letters and digits."""
    return ARABIC_LETTERS | _digits()


@lru_cache(maxsize=1)
def _normal_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(k): v for k, v in replaced_characters().items()}
    table.update({ord(c): None for c in dropped_characters()})
    return table


def search_form(text: str) -> str:
    """The text as it is indexed and searched: NFC, Arabic-script letters unified, marks, tatweel,
    joiners and bidi controls left out, digits in ASCII; Latin untouched (the databases' tokenizers
    lowercase it, and English keeps its stemming). One replacement or deletion per character, so
    PostgreSQL computes the same with translate() (migration 0012, checked by a test)."""
    return unicodedata.normalize("NFC", text).translate(_normal_table())


def normalize(text: str) -> str:
    """One form of a text for comparing words and names in every script we read: `search_form`
    with Latin folded (see `fold`). Not the same length as the text: for offsets into it, use `fold`."""
    return fold(search_form(text))


@lru_cache(maxsize=1)
def _letters_table() -> dict[int, str]:
    return {ord(k): v for k, v in replaced_characters().items()}


def unify_letters(text: str) -> str:
    """The text with its Arabic-script letter forms and digits unified as in `normalize`, nothing
    dropped: the same length, so offsets into it are offsets into the text."""
    return text.translate(_letters_table())
