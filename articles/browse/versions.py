"""What changed between two versions of an article, for the versions page (the versions are read
by articles.queries.versions).

The diff is data, not HTML: paragraphs of (change, text) pieces that the template writes with
Django's escaping, so nothing an outlet wrote can become markup on the way. Paragraphs are
aligned first (difflib over whole paragraphs), then a changed paragraph is compared word by word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

SAME, ADDED, REMOVED = "same", "added", "removed"
# Word by word only up to this many words a side; a longer changed paragraph is shown removed and added whole.
MAX_WORD_DIFF = 3000
# Paragraphs aligned at most; the rest of two very long texts is compared as one last block.
MAX_PARAGRAPHS = 2000
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class Piece:
    change: str  # SAME, ADDED or REMOVED
    text: str


@dataclass(frozen=True)
class Paragraph:
    change: str  # SAME, ADDED or REMOVED for a whole paragraph; "" when its pieces say
    pieces: tuple[Piece, ...]


def _pieces(old: str, new: str) -> tuple[Piece, ...]:
    """Word by word: what stayed, what went, what came."""
    old_tokens, new_tokens = _TOKENS.findall(old), _TOKENS.findall(new)
    pieces: list[Piece] = []

    def add(change: str, tokens: list[str]) -> None:
        if not tokens:
            return
        text = "".join(tokens)
        if pieces and pieces[-1].change == change:
            pieces[-1] = Piece(change, pieces[-1].text + text)
        else:
            pieces.append(Piece(change, text))

    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            add(SAME, old_tokens[i1:i2])
        else:
            add(REMOVED, old_tokens[i1:i2])
            add(ADDED, new_tokens[j1:j2])
    return tuple(pieces)


def text_diff(old: str, new: str) -> tuple[Piece, ...]:
    """A one-line text (a title, a byline) compared word by word."""
    if len(old.split()) > MAX_WORD_DIFF or len(new.split()) > MAX_WORD_DIFF:
        return tuple(piece for piece in (Piece(REMOVED, old), Piece(ADDED, new)) if piece.text)
    return _pieces(old, new)


def _paragraphs(body: str) -> list[str]:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
    if len(paragraphs) > MAX_PARAGRAPHS:
        paragraphs[MAX_PARAGRAPHS - 1:] = ["\n\n".join(paragraphs[MAX_PARAGRAPHS - 1:])]
    return paragraphs


def body_diff(old: str, new: str) -> list[Paragraph]:
    """Two bodies compared: paragraphs aligned, a changed paragraph compared word by word."""
    old_paragraphs, new_paragraphs = _paragraphs(old), _paragraphs(new)
    result: list[Paragraph] = []
    matcher = SequenceMatcher(None, old_paragraphs, new_paragraphs, autojunk=False)
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            result.extend(Paragraph(SAME, (Piece(SAME, p),)) for p in old_paragraphs[i1:i2])
            continue
        removed, added = old_paragraphs[i1:i2], new_paragraphs[j1:j2]
        paired = min(len(removed), len(added)) if operation == "replace" else 0
        result.extend(Paragraph("", text_diff(a, b)) for a, b in zip(removed[:paired], added[:paired], strict=True))
        result.extend(Paragraph(REMOVED, (Piece(REMOVED, p),)) for p in removed[paired:])
        result.extend(Paragraph(ADDED, (Piece(ADDED, p),)) for p in added[paired:])
    return result
