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


# Arabic-script letters that Dari, Pashto and Urdu texts (and their keyboards) write more than one
# way, to one form: Arabic yeh and kaf to Persian, hamza carriers and alef forms to their base,
# teh marbuta and heh goal to heh, Pashto and Urdu letters to the Persian letters they stand beside.
_ARABIC_LETTERS = {
    "ي": "ی", "ى": "ی", "ئ": "ی", "ې": "ی", "ۍ": "ی", "ے": "ی", "ۓ": "ی", "ك": "ک", "ڪ": "ک", "ګ": "گ",
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا", "ؤ": "و", "ة": "ه", "ۀ": "ه", "ہ": "ه", "ھ": "ه",
    "ۂ": "ه", "ە": "ه", "ټ": "ت", "ٹ": "ت", "ډ": "د", "ڈ": "د", "ړ": "ر", "ڑ": "ر", "ږ": "ژ", "ښ": "ش",
    "ڼ": "ن", "ں": "ن", "ځ": "ز", "څ": "س",
}
# Persian (U+06F0-9) and Arabic-Indic (U+0660-9) digits.
_DIGITS = {chr(0x06F0 + i): str(i) for i in range(10)} | {chr(0x0660 + i): str(i) for i in range(10)}
# Harakat and other marks, tatweel, and the joiners: gone in the normal form.
_DROPPED = {chr(c) for c in range(0x064B, 0x0660)} | {"\u0670", "\u0640", "\u200c", "\u200d", "\u200e", "\u200f"}


@lru_cache(maxsize=1)
def _normal_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(k): v for k, v in (_ARABIC_LETTERS | _DIGITS).items()}
    table.update({ord(c): None for c in _DROPPED})
    return table


def normalize(text: str) -> str:
    """One form of a text for comparing words and names in every script we read: Latin folded (see
    `fold`), Arabic-script letters unified, marks, tatweel and joiners dropped, digits as ASCII.
    Not the same length as the text: for offsets into it, use `fold`."""
    return fold(unicodedata.normalize("NFC", text).translate(_normal_table()))


@lru_cache(maxsize=1)
def _letters_table() -> dict[int, str]:
    return {ord(k): v for k, v in (_ARABIC_LETTERS | _DIGITS).items()}


def unify_letters(text: str) -> str:
    """The text with its Arabic-script letter forms and digits unified as in `normalize`, nothing
    dropped: the same length, so offsets into it are offsets into the text."""
    return text.translate(_letters_table())
