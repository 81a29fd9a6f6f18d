"""Scores the tagger against gold files: precision, recall and F1 per kind.

A gold file (YAML, see tests/tagging/gold/) holds an article and what a careful editor finds in
it: for people, organizations, places and topics a `must` list (counted for recall), a `should`
list (found or not, never held against the tagger) and, for people, `must_not`; events as kinds
with dates ('2021-03-08', '2021-03' or '2021'). Scoring, summed over the files:
- a found entity in `must` is a true positive, a missed one a false negative, and a found one in
  neither list a false positive;
- event dates: the set of dates of the extracted events against the dates of the gold events,
  compared exactly at the gold's precision; `should` dates are neither hits nor errors.
Names compare case- and accent-insensitively. The run touches no table: it calls `analyze`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

from .knowledge import KnowledgeIndex, get_index
from .normalize import fold
from .services import Analysis, analyze

KINDS = ("people", "organizations", "places", "topics", "event dates")
ENTITY_KINDS = {"people": "person", "organizations": "organization", "places": "place", "topics": "topic"}


class GoldError(ValueError):
    """A gold file that cannot be read; the message says which and why."""


def default_seeds_dir() -> Path:
    return Path(os.environ.get("NEWSROOM_SEEDS_DIR", Path(settings.BASE_DIR).parent / "shared" / "seeds"))


@dataclass(frozen=True)
class Expectation:
    must: frozenset[str] = frozenset()
    should: frozenset[str] = frozenset()
    must_not: frozenset[str] = frozenset()


@dataclass
class GoldArticle:
    path: Path
    title: str
    body: str
    dateline: str
    published: dt.date | None
    expected_published: tuple[str, str] | None  # (date key, precision)
    entities: dict[str, Expectation]
    quotes: list[dict[str, str]] = field(default_factory=list)


def _key(name: Any) -> str:
    return " ".join(fold(str(name)).split())


def _expectation(data: Any, where: str) -> Expectation:
    data = data or {}
    if not isinstance(data, dict):
        raise GoldError(f"{where}: expected a mapping with must/should lists")
    lists = {}
    for part in ("must", "should", "must_not"):
        value = data.get(part) or []
        if not isinstance(value, list):
            raise GoldError(f"{where}.{part}: expected a list")
        lists[part] = frozenset(_date_key(v) if where.endswith("events") else _key(v) for v in value)
    return Expectation(**lists)


def _date_key(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("date")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def load_gold(path: Path, seeds_dir: Path | None = None) -> GoldArticle:
    """Read one gold file; a text kept outside the repository is imported as Newsroom would."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise GoldError(f"{path}: cannot read: {exc}") from exc
    if not isinstance(data, dict):
        raise GoldError(f"{path}: a gold file is a mapping")
    title, body, dateline = str(data.get("title") or ""), str(data.get("body") or ""), str(data.get("dateline") or "")
    if data.get("text_file"):
        from articles.ingest import parse_plain_text

        text_path = (seeds_dir or default_seeds_dir()) / str(data["text_file"])
        try:
            document = parse_plain_text(text_path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise GoldError(f"{path}: text_file {text_path}: {exc}") from exc
        title, body, dateline = document.title, document.body, document.dateline
    if not body.strip():
        raise GoldError(f"{path}: no body (give `body` or `text_file`)")
    published = data.get("published")
    if published is not None and not isinstance(published, dt.date):
        raise GoldError(f"{path}: published must be a date (YYYY-MM-DD) or null")
    expected = (data.get("expected") or {}).get("published")
    entities = {kind: _expectation(data.get(kind), f"{path.name}:{kind}") for kind in ENTITY_KINDS}
    entities["event dates"] = _expectation(data.get("events"), f"{path.name}:events")
    return GoldArticle(
        path=path, title=title, body=body, dateline=dateline, published=published,
        expected_published=(_date_key(expected), str(expected.get("precision"))) if expected else None,
        entities=entities, quotes=list((data.get("quotes") or {}).get("should") or []),
    )


def gold_paths(targets: Iterable[str | Path]) -> list[Path]:
    """Gold files named, or every *.yaml below the folders named."""
    paths: list[Path] = []
    for target in map(Path, targets):
        if target.is_dir():
            paths.extend(sorted(target.glob("*.yaml")))
        elif target.is_file():
            paths.append(target)
        else:
            raise GoldError(f"{target}: no such file or folder")
    return paths


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class ArticleResult:
    gold: GoldArticle
    found: dict[str, set[str]]
    missed: dict[str, set[str]]
    extra: dict[str, set[str]]
    forbidden: set[str]  # people found that the gold says must not be
    published: str | None  # the publication date inferred, when the gold expects one
    quotes_found: int


@dataclass
class Evaluation:
    scores: dict[str, Score]
    articles: list[ArticleResult]
    published_right: int = 0
    published_expected: int = 0
    quotes_found: int = 0
    quotes_expected: int = 0

    def table(self) -> str:
        lines = [f"{'kind':<14} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn"]
        for kind in KINDS:
            s = self.scores[kind]
            lines.append(
                f"{kind:<14} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}  "
                f"{s.true_positives:3d} {s.false_positives:3d} {s.false_negatives:3d}"
            )
        lines.append(f"publication dates inferred: {self.published_right}/{self.published_expected} exact")
        lines.append(f"quotes with the right speaker: {self.quotes_found}/{self.quotes_expected}")
        return "\n".join(lines)


def predicted(analysis: Analysis, index: KnowledgeIndex) -> dict[str, set[str]]:
    names = {kind: set() for kind in (*ENTITY_KINDS, "event dates")}
    kind_of = {v: k for k, v in ENTITY_KINDS.items()}
    for key in analysis.mentions:
        names[kind_of[key[0]]].add(_key(index.matcher.entities[key].name))
    names["people"].update(_key(person.name) for person in analysis.discovered)
    names["event dates"] = {event.date.key() for event in analysis.events}
    return names


def _speaker_name(analysis: Analysis, index: KnowledgeIndex, key: tuple[str, int]) -> str:
    if key[0] == "new":
        return _key(analysis.discovered[key[1]].name)
    return _key(index.matcher.entities[key].name)


def evaluate(golds: list[GoldArticle], index: KnowledgeIndex | None = None) -> Evaluation:
    index = index or get_index()
    evaluation = Evaluation(scores={kind: Score() for kind in KINDS}, articles=[])
    for gold in golds:
        analysis = analyze(
            title=gold.title, body=gold.body, dateline=gold.dateline, published_at=gold.published, index=index
        )
        found = predicted(analysis, index)
        missed, extra = {}, {}
        for kind in KINDS:
            expectation = gold.entities[kind]
            score = evaluation.scores[kind]
            hits = found[kind] & expectation.must
            missed[kind] = expectation.must - found[kind]
            extra[kind] = found[kind] - expectation.must - expectation.should
            score.true_positives += len(hits)
            score.false_negatives += len(missed[kind])
            score.false_positives += len(extra[kind])
        inferred = None
        if gold.expected_published:
            evaluation.published_expected += 1
            if analysis.published is not None:
                inferred = f"{analysis.published.key()} ({analysis.published.precision})"
                if (analysis.published.day.isoformat(), analysis.published.precision) == gold.expected_published:
                    evaluation.published_right += 1
        quotes_found = 0
        for wanted in gold.quotes:
            starts, speaker = _key(wanted.get("starts", "")), _key(wanted.get("speaker", ""))
            if any(
                _key(q.text).startswith(starts) and _speaker_name(analysis, index, q.speaker) == speaker
                for q in analysis.quotes
            ):
                quotes_found += 1
        evaluation.quotes_expected += len(gold.quotes)
        evaluation.quotes_found += quotes_found
        evaluation.articles.append(ArticleResult(
            gold=gold, found=found, missed=missed, extra=extra,
            forbidden=found["people"] & gold.entities["people"].must_not, published=inferred,
            quotes_found=quotes_found,
        ))
    return evaluation


def unknown_names(golds: list[GoldArticle], index: KnowledgeIndex | None = None) -> list[str]:
    """Gold entries for organizations, places and topics that the knowledge base does not have."""
    index = index or get_index()
    known = {kind: set() for kind in ENTITY_KINDS.values()}
    for (kind, _pk), info in index.matcher.entities.items():
        known[kind].add(_key(info.name))
    problems = []
    for gold in golds:
        for kind in ("organizations", "places", "topics"):
            expectation = gold.entities[kind]
            for name in sorted(expectation.must | expectation.should):
                if name not in known[ENTITY_KINDS[kind]]:
                    problems.append(f"{gold.path.name}: {kind}: not in the knowledge base: {name}")
    return problems
