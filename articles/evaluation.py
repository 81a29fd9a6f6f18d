"""Scores the tagger against gold files: what a careful editor finds in an article, kind by kind.

A gold file (YAML, format in tests/tagging/gold/README.md) holds an article and, for people,
organizations, places and topics, a `must` list (counted for recall), a `should` list (found or
not, never held against the tagger) and `must_not` (people a naive tagger would wrongly find).
Events are kinds with dates ('2021-03-08', '2021-03' or '2021'), participants and a place, in
`must`, `should` and `must_not`; a reported event of the curated timeline carries its slug.
The file also says whether the piece is relevant, and which publication date a reader takes from
the dateline or text when the page gives none.

Scoring, summed over the files (each a precision and a recall):
- entities: a found entity in `must` is a true positive, a missed one a false negative, a found
  one in neither list a false positive;
- events: an event is a true positive when it matches a gold `must` event without a slug (same
  kind, the same date at the gold's precision, a shared participant when the gold names any),
  whether it stands alone or joined the timeline (the troika's statement joins the Moscow
  conference); a machine event is neutral when it matches a `should` one or a timeline event of
  the gold it did not join (that miss counts with the curated links), else a false positive; a
  gold `must` event nothing matches is a false negative;
- curated events: the timeline events the article is linked to, against `curated.must` (and the
  slugs of `events.must`); one also in `curated.should` is neutral;
- relevance: the piece judged relevant, against `relevant`;
- publication dates: right when the date the tagger settles on (from the text, when the page has
  none) is the gold's at its precision (an approximate day within a day of an approximate gold
  day), or when both say there is none; never after the fetch.
Names compare case- and accent-insensitively. The run touches no table: it calls `analyze`.

`demo_links` measures the stored demo corpus instead: the timeline events each demo article is
linked to, against what an editor annotated in content/demo/curated.yaml.

It sits above both the tagger and ingestion (a gold file's `text_file` is read as ingestion reads
a plain-text file), so that articles.tagging never imports articles.ingest.
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

from articles.models import ENTITY_KINDS as MODEL_KINDS
from articles.tagging.knowledge import KnowledgeIndex, get_index
from articles.tagging.services import Analysis, analyze
from articles.text.normalize import fold

# A gold file names entities under each kind's plural ("people"): plural -> kind.
ENTITY_KINDS = {kind.plural: name for name, kind in MODEL_KINDS.items()}
KINDS = (*ENTITY_KINDS, "events", "curated events", "relevance")
EVENT_KINDS = {
    "meeting", "visit", "talks", "agreement", "statement", "announcement", "conference", "deadline", "attack", "other",
}


class GoldError(ValueError):
    """A gold file that cannot be read; the message says which and why."""


def default_seeds_dir() -> Path:
    return Path(os.environ.get("NEWSROOM_SEEDS_DIR", Path(settings.BASE_DIR).parent / "shared" / "seeds"))


@dataclass(frozen=True)
class Expectation:
    must: frozenset[str] = frozenset()
    should: frozenset[str] = frozenset()
    must_not: frozenset[str] = frozenset()


@dataclass(frozen=True)
class GoldEvent:
    kinds: frozenset[str]
    date: str  # '2021-03-08', '2021-03' or '2021'
    participants: frozenset[str] = frozenset()
    place: str = ""
    curated: str = ""  # the slug of the timeline event it is

    def __str__(self) -> str:
        who = f" {sorted(self.participants)}" if self.participants else ""
        return f"{'/'.join(sorted(self.kinds))} {self.date}{who}{' = ' + self.curated if self.curated else ''}"


@dataclass
class GoldArticle:
    path: Path
    title: str
    body: str
    dateline: str
    published: dt.date | None
    fetched: dt.date | None
    language: str
    relevant: bool | None
    # (date key, precision) a reader takes from the text; ("", "") when the text gives no safe date.
    expected_published: tuple[str, str] | None
    entities: dict[str, Expectation]
    events: dict[str, list[GoldEvent]]  # must | should | must_not
    curated: Expectation
    quotes: list[dict[str, str]] = field(default_factory=list)
    copy_of: str = ""


def _key(name: Any) -> str:
    return " ".join(fold(str(name)).split())


def _names(value: Any, where: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list):
        raise GoldError(f"{where}: expected a list")
    return frozenset(_key(v) for v in value)


def _expectation(data: Any, where: str) -> Expectation:
    data = data or {}
    if not isinstance(data, dict):
        raise GoldError(f"{where}: expected a mapping with must/should lists")
    return Expectation(**{part: _names(data.get(part), f"{where}.{part}") for part in ("must", "should", "must_not")})


def date_key(value: Any) -> str:
    """A gold date as its key: '2021-03-08', '2021-03' or '2021' (YAML reads a full date as a date)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _gold_event(value: Any, where: str) -> GoldEvent:
    if not isinstance(value, dict) or "date" not in value:
        raise GoldError(f"{where}: an event is a mapping with kind and date")
    kinds = value.get("kind") or []
    kinds = frozenset(kinds if isinstance(kinds, list) else [kinds])
    if not kinds or not kinds <= EVENT_KINDS:
        raise GoldError(f"{where}: kind must be one or a list of {', '.join(sorted(EVENT_KINDS))}")
    key = date_key(value["date"])
    try:
        dt.date.fromisoformat((key + "-01-01")[:10] if len(key) == 4 else (key + "-01")[:10])
    except ValueError as exc:
        raise GoldError(f"{where}: date {key!r} is not YYYY, YYYY-MM or YYYY-MM-DD") from exc
    return GoldEvent(
        kinds=kinds, date=key, participants=_names(value.get("participants"), f"{where}.participants"),
        place=_key(value.get("place") or ""), curated=str(value.get("curated") or ""),
    )


def _events(data: Any, where: str) -> dict[str, list[GoldEvent]]:
    data = data or {}
    if not isinstance(data, dict):
        raise GoldError(f"{where}: expected a mapping with must/should/must_not lists")
    events = {}
    for part in ("must", "should", "must_not"):
        values = data.get(part) or []
        if not isinstance(values, list):
            raise GoldError(f"{where}.{part}: expected a list")
        events[part] = [_gold_event(v, f"{where}.{part}[{i}]") for i, v in enumerate(values)]
    return events


def _optional_date(data: dict, name: str, path: Path) -> dt.date | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if not isinstance(value, dt.date):
        raise GoldError(f"{path}: {name} must be a date (YYYY-MM-DD) or null")
    return value


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
    expected = (data.get("expected") or {})
    expected_published = None
    if "published" in expected:
        value = expected["published"]
        if value is None:
            expected_published = ("", "")
        elif isinstance(value, dict) and value.get("date"):
            expected_published = (date_key(value["date"]), str(value.get("precision") or "day"))
        else:
            raise GoldError(f"{path}: expected.published is {{date, precision}} or null")
    relevant = data.get("relevant")
    if relevant is not None and not isinstance(relevant, bool):
        raise GoldError(f"{path}: relevant must be true or false")
    events = _events(data.get("events"), f"{path.name}:events")
    curated = _expectation(data.get("curated"), f"{path.name}:curated")
    reported = frozenset(e.curated for e in events["must"] if e.curated)
    return GoldArticle(
        path=path, title=title, body=body, dateline=dateline,
        published=_optional_date(data, "published", path), fetched=_optional_date(data, "fetched", path),
        language=str(data.get("language") or "en"), relevant=relevant, expected_published=expected_published,
        entities={kind: _expectation(data.get(kind), f"{path.name}:{kind}") for kind in ENTITY_KINDS},
        events=events,
        curated=Expectation(must=curated.must | {_key(s) for s in reported}, should=curated.should),
        quotes=list((data.get("quotes") or {}).get("should") or []),
        copy_of=str(data.get("copy_of") or ""),
    )


def gold_paths(targets: Iterable[str | Path]) -> list[Path]:
    """Gold files named, or every *.yaml in the folders named (not in their subfolders: one language each)."""
    paths: list[Path] = []
    for target in map(Path, targets):
        if target.is_dir():
            paths.extend(sorted(p for p in target.glob("*.yaml") if p.name != "README.yaml"))
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

    def add(self, other: Score) -> None:
        self.true_positives += other.true_positives
        self.false_positives += other.false_positives
        self.false_negatives += other.false_negatives


@dataclass
class FoundEvent:
    """An extracted event with its participants and place as names, for scoring and reports."""

    kind: str
    date: str
    precision: str
    participants: frozenset[str]
    place: str
    curated: str  # slug of the timeline event it was joined to, or ""
    sentence: str

    def __str__(self) -> str:
        joined = f" = {self.curated}" if self.curated else ""
        return f"{self.kind} {self.date} {sorted(self.participants)}{' in ' + self.place if self.place else ''}{joined}"


@dataclass
class ArticleResult:
    gold: GoldArticle
    found: dict[str, set[str]]
    missed: dict[str, set[str]]
    extra: dict[str, set[str]]
    forbidden: set[str]  # people found that the gold says must not be
    published: str | None  # the publication date settled on: 'date (precision, basis)' or None
    published_right: bool | None  # None when the gold does not say
    after_fetch: bool
    relevant: bool
    events_found: list[FoundEvent] = field(default_factory=list)
    events_missed: list[GoldEvent] = field(default_factory=list)
    events_extra: list[FoundEvent] = field(default_factory=list)
    events_forbidden: list[FoundEvent] = field(default_factory=list)  # matching a must_not event
    quotes_found: int = 0


@dataclass
class Evaluation:
    scores: dict[str, Score]
    articles: list[ArticleResult]
    published_right: int = 0
    published_expected: int = 0
    after_fetch: int = 0
    quotes_found: int = 0
    quotes_expected: int = 0

    def table(self) -> str:
        lines = [f"{'kind':<15} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn"]
        for kind in KINDS:
            s = self.scores[kind]
            lines.append(
                f"{kind:<15} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}  "
                f"{s.true_positives:3d} {s.false_positives:3d} {s.false_negatives:3d}"
            )
        lines.append(f"publication dates from the text: {self.published_right}/{self.published_expected} right")
        lines.append(f"publication dates after the fetch: {self.after_fetch}")
        lines.append(f"events the gold forbids: {sum(len(r.events_forbidden) for r in self.articles)}")
        lines.append(f"people the gold forbids (false merges): {sum(len(r.forbidden) for r in self.articles)}")
        lines.append(f"quotes with the right speaker: {self.quotes_found}/{self.quotes_expected}")
        return "\n".join(lines)


def _entity_name(analysis: Analysis, index: KnowledgeIndex, key: tuple[str, int]) -> str:
    if key[0] == "new":
        return _key(analysis.discovered[key[1]].name)
    return _key(index.matcher.entities[key].name)


def predicted(analysis: Analysis, index: KnowledgeIndex) -> dict[str, set[str]]:
    names: dict[str, set[str]] = {kind: set() for kind in (*ENTITY_KINDS, "curated events")}
    kind_of = {v: k for k, v in ENTITY_KINDS.items()}
    for key in analysis.mentions:
        names[kind_of[key[0]]].add(_key(index.matcher.entities[key].name))
    names["people"].update(_key(person.name) for person in analysis.discovered)
    names["curated events"] = {_key(index.curated[event_id].slug) for event_id in analysis.curated}
    return names


def found_events(analysis: Analysis, index: KnowledgeIndex, body: str) -> list[FoundEvent]:
    events = []
    for event in analysis.events:
        events.append(FoundEvent(
            kind=event.kind, date=event.date.key(), precision=event.date.precision,
            participants=frozenset(_entity_name(analysis, index, key) for key in event.participants),
            place=_key(index.matcher.entities[event.place].name) if event.place else "",
            curated=index.curated[event.curated].slug if event.curated else "",
            sentence=body[event.sentence[0]:event.sentence[1]].strip(),
        ))
    return events


# Kinds scored as one: whether a declaration is a statement or the announcement of a decision is
# not a line readers (or gold files) draw consistently.
KIND_FAMILY = {"statement": "statement", "announcement": "statement"}


def event_matches(found: FoundEvent, gold: GoldEvent) -> bool:
    """Same kind (a statement and an announcement alike), the same date as far as the gold's
    precision goes (never coarser than it), and a shared participant when the gold names participants."""
    if KIND_FAMILY.get(found.kind, found.kind) not in {KIND_FAMILY.get(k, k) for k in gold.kinds}:
        return False
    if len(found.date) < len(gold.date) or found.date[:len(gold.date)] != gold.date:
        return False
    return not gold.participants or bool(found.participants & gold.participants)


def _score_events(result: ArticleResult, gold: GoldArticle) -> Score:
    score = Score()
    must = [e for e in gold.events["must"] if not e.curated]
    should = [e for e in gold.events["should"] if not e.curated]
    matched: set[int] = set()
    for found in result.events_found:
        if found.curated:
            # Joined to the timeline and scored there; it still reports what the gold lists as an
            # event of its own (the troika's statement at the Moscow conference it joined).
            hit = next((i for i, e in enumerate(must) if i not in matched and event_matches(found, e)), None)
            if hit is not None:
                matched.add(hit)
                score.true_positives += 1
            continue
        # A forbidden event is forbidden at the date the gold gives, as precisely as it gives it.
        if any(event_matches(found, e) and len(found.date) == len(e.date) for e in gold.events["must_not"]):
            result.events_forbidden.append(found)
        hit = next((i for i, e in enumerate(must) if i not in matched and event_matches(found, e)), None)
        if hit is not None:
            matched.add(hit)
            score.true_positives += 1
        elif any(event_matches(found, e) for e in [*should, *gold.events["must"]]):
            # A second report of a gold event, a borderline one, or a timeline event it did not
            # join (scored with the curated events): neither hit nor error.
            continue
        else:
            score.false_positives += 1
            result.events_extra.append(found)
    result.events_missed = [e for i, e in enumerate(must) if i not in matched]
    score.false_negatives += len(result.events_missed)
    return score


def _published_result(analysis: Analysis, gold: GoldArticle) -> tuple[str | None, bool | None, bool]:
    settled = analysis.published
    shown = (
        f"{settled.key()} ({settled.precision}, {analysis.published_source})" if settled is not None else None
    )
    after_fetch = bool(settled and gold.fetched and settled.day > gold.fetched)
    if gold.expected_published is None:
        return shown, None, after_fetch
    expected_day, precision = gold.expected_published
    if not expected_day:
        return shown, settled is None, after_fetch
    if settled is None:
        return shown, False, after_fetch
    if precision == "approximate" and settled.precision == "approximate" and len(expected_day) == 10:
        # 'about 9 March' either way: a day before or after is the same estimate.
        right = abs((settled.day - dt.date.fromisoformat(expected_day)).days) <= 1
    else:
        right = settled.day.isoformat()[:len(expected_day)] == expected_day and (
            settled.precision == precision or len(expected_day) < 10
        )
    return shown, right, after_fetch


def evaluate(golds: list[GoldArticle], index: KnowledgeIndex | None = None) -> Evaluation:
    index = index or get_index()
    evaluation = Evaluation(scores={kind: Score() for kind in KINDS}, articles=[])
    for gold in golds:
        analysis = analyze(
            title=gold.title, body=gold.body, dateline=gold.dateline, published_at=gold.published,
            fetched_at=gold.fetched, index=index,
        )
        found = predicted(analysis, index)
        missed, extra = {}, {}
        expectations = {**gold.entities, "curated events": gold.curated}
        for kind, expectation in expectations.items():
            score = evaluation.scores[kind]
            hits = found[kind] & expectation.must
            missed[kind] = set(expectation.must - found[kind])
            extra[kind] = set(found[kind] - expectation.must - expectation.should)
            score.true_positives += len(hits)
            score.false_negatives += len(missed[kind])
            score.false_positives += len(extra[kind])
        shown, right, after_fetch = _published_result(analysis, gold)
        if right is not None:
            evaluation.published_expected += 1
            evaluation.published_right += int(right)
        evaluation.after_fetch += int(after_fetch)
        if gold.relevant is not None:
            relevance = evaluation.scores["relevance"]
            relevance.true_positives += int(gold.relevant and analysis.is_relevant)
            relevance.false_positives += int(not gold.relevant and analysis.is_relevant)
            relevance.false_negatives += int(gold.relevant and not analysis.is_relevant)
        quotes_found = 0
        for wanted in gold.quotes:
            starts, speaker = _key(wanted.get("starts", "")), _key(wanted.get("speaker", ""))
            if any(
                _key(q.text).startswith(starts) and _entity_name(analysis, index, q.speaker) == speaker
                for q in analysis.quotes
            ):
                quotes_found += 1
        evaluation.quotes_expected += len(gold.quotes)
        evaluation.quotes_found += quotes_found
        result = ArticleResult(
            gold=gold, found=found, missed=missed, extra=extra,
            forbidden=found["people"] & gold.entities["people"].must_not, published=shown,
            published_right=right, after_fetch=after_fetch, relevant=analysis.is_relevant,
            events_found=found_events(analysis, index, gold.body), quotes_found=quotes_found,
        )
        evaluation.scores["events"].add(_score_events(result, gold))
        evaluation.articles.append(result)
    return evaluation


def unknown_names(golds: list[GoldArticle], index: KnowledgeIndex | None = None) -> list[str]:
    """Gold entries the knowledge base does not have: organizations, places, topics and event
    places by name, curated events by slug."""
    index = index or get_index()
    known: dict[str, set[str]] = {kind: set() for kind in ENTITY_KINDS.values()}
    for (kind, _pk), info in index.matcher.entities.items():
        known[kind].add(_key(info.name))
    slugs = {_key(event.slug) for event in index.curated.values()}
    problems = []
    for gold in golds:
        for kind in ("organizations", "places", "topics"):
            expectation = gold.entities[kind]
            for name in sorted(expectation.must | expectation.should):
                if name not in known[ENTITY_KINDS[kind]]:
                    problems.append(f"{gold.path.name}: {kind}: not in the knowledge base: {name}")
        for slug in sorted(gold.curated.must | gold.curated.should):
            if slug not in slugs:
                problems.append(f"{gold.path.name}: curated: no timeline event {slug}")
        for part, events in gold.events.items():
            for event in events:
                if event.place and event.place not in known["place"]:
                    problems.append(f"{gold.path.name}: events.{part}: place not in the knowledge base: {event.place}")
    return problems


@dataclass
class DemoLinks:
    """The demo corpus's links to the timeline against the editor's annotations."""

    articles: int = 0  # annotated articles found in the database
    reported: int = 0  # (article, event) pairs annotated as reported
    reported_linked: int = 0
    named: int = 0
    named_linked: int = 0
    unannotated: list[tuple[str, str]] = field(default_factory=list)  # linked, but neither reported nor named
    missed: list[tuple[str, str]] = field(default_factory=list)  # reported, not linked
    absent: list[str] = field(default_factory=list)  # annotated titles the database does not have
    machine_after_article: int = 0  # machine events dated after an article reporting them, deadlines aside

    def table(self) -> str:
        def share(part: int, whole: int) -> str:
            return f"{part}/{whole} ({part / whole:.0%})" if whole else "0/0"

        linked = self.reported_linked + self.named_linked + len(self.unannotated)
        return "\n".join([
            f"demo articles annotated: {self.articles}",
            f"reported timeline events linked: {share(self.reported_linked, self.reported)}",
            f"named timeline events linked: {share(self.named_linked, self.named)}",
            f"links an editor did not annotate: {share(len(self.unannotated), linked)}",
            f"machine events dated after their article (deadlines aside): {self.machine_after_article}",
        ])


def demo_links(path: Path) -> DemoLinks:
    """Compare the stored links of the annotated demo articles with content/demo/curated.yaml."""
    from articles.models import Article, EventEvidence, EventKind

    annotations = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    by_title = {entry["title"]: entry for entry in annotations}
    result = DemoLinks()
    articles = {a.title: a for a in Article.objects.filter(title__in=by_title).only("id", "title")}
    result.absent = sorted(set(by_title) - set(articles))
    links: dict[int, set[str]] = {}
    for article_id, slug in EventEvidence.objects.filter(
        article__in=articles.values(), event__reviewed=True, event__machine_made=False
    ).values_list("article_id", "event__slug"):
        links.setdefault(article_id, set()).add(slug)
    for title, article in articles.items():
        entry = by_title[title]
        reports, names = set(entry.get("reports") or []), set(entry.get("names") or [])
        linked = links.get(article.id, set())
        result.articles += 1
        result.reported += len(reports)
        result.reported_linked += len(reports & linked)
        result.named += len(names - reports)
        result.named_linked += len((names - reports) & linked)
        result.missed += [(title, slug) for slug in sorted(reports - linked)]
        result.unannotated += [(title, slug) for slug in sorted(linked - reports - names)]
    result.machine_after_article = sum(
        1 for event_start, published in EventEvidence.objects.filter(
            event__machine_made=True, article__published_at__isnull=False,
        ).exclude(event__kind=EventKind.DEADLINE).values_list("event__start_date", "article__published_at")
        if event_start and event_start > published.date()
    )
    return result
