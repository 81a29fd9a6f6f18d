"""Which Arabic-script language a text is in, told by the letters only that language writes.

py3langid's n-grams confuse the languages written in the Arabic script when a text uses the
letters of another keyboard: a Dari text typed with Arabic yeh and kaf (ي، ك) reads as Arabic to
it. The letters settle it. Pashto alone writes ټ ډ ړ ږ ښ ګ ڼ ې ۍ ځ څ and Urdu alone ے ں ہ ھ ٹ ڈ ڑ
ۓ; Persian (Dari) and both of them write پ چ ژ گ, which Arabic has not. On the gold texts and the
demo corpus a Pashto text has 16 to 58 of its letters in 600 characters, an Urdu one 47 to 71, and
a Dari one none, so a share of 2% leaves room for a Dari text quoting a Pashto or Urdu name.
"""

from __future__ import annotations

PASHTO_LETTERS = frozenset("ټډړږښګڼېۍځڅ")
URDU_LETTERS = frozenset("ےۓںہۂھٹڈڑ")
NOT_ARABIC_LETTERS = frozenset("پچژگ")  # Persian letters, written in Dari, Pashto and Urdu alike
SHARE = 0.02
# The letters that prove a text is not Arabic: two, so that one foreign name does not decide.
NOT_ARABIC_MINIMUM = 2


def _is_arabic_script_letter(char: str) -> bool:
    return ("\u0620" <= char <= "\u064a") or ("\u066e" <= char <= "\u06d3") or char in "\u06d5\u06ee\u06ef\u06fa\u06fb\u06fc\u06ff"


def arabic_script_language(text: str) -> str | None:
    """'ps', 'ur' or 'fa' when the text is mostly Arabic-script letters and its letters tell which;
    None when it is not, or when only a classifier can tell (Arabic, or too few letters)."""
    letters = [char for char in text if char.isalpha()]
    arabic = [char for char in letters if _is_arabic_script_letter(char)]
    if not arabic or len(arabic) * 2 < len(letters):
        return None
    pashto = sum(char in PASHTO_LETTERS for char in arabic)
    urdu = sum(char in URDU_LETTERS for char in arabic)
    if max(pashto, urdu) >= SHARE * len(arabic):
        return "ps" if pashto > urdu else "ur"
    if sum(char in NOT_ARABIC_LETTERS for char in arabic) >= NOT_ARABIC_MINIMUM:
        return "fa"
    return None
