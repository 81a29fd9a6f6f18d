"""Tagging speed against spaCy's PhraseMatcher on the same names, in one run; and worker memory.

    .venv/bin/pip install -r requirements-bench.txt
    .venv/bin/python bench/tagging.py --articles 200 --runs 5

1. A fresh SQLite database in /tmp with the full knowledge base loaded (`--database` takes a
   PostgreSQL URL whose name ends in 'bench' instead; it is recreated).
2. Articles: N texts of about 700 words, each a seeded mix of the demo corpus's sentences (our own
   text), so every run tags the same, realistic inputs.
3. Ours, three ways: the matcher alone (`Matcher.find` over the body, the part spaCy does);
   the tags (`analyze(details=False)`: body and headline matched, short forms and ambiguous
   names settled, topic scores, relevance); and the full analysis (`analyze`: the tags plus
   discovered people, dates, events and quotes). One process, one core.
4. Baseline: spaCy's PhraseMatcher (`spacy.blank("en")`, no model, attr=LOWER) over exactly the
   surface forms our automaton holds (names, aliases, acronyms, topic phrases): tokenizing each
   text and matching it, which is the least spaCy needs to do the same job.
5. Runs alternate ours and the baseline; articles per second of CPU time (time.process_time, so
   other processes on the machine count less) per run and the median; the ratios are taken
   between medians measured in this run.
   Then the full analysis on English, Dari, Pashto and Urdu text alike: N articles composed of
   each language's demo sentences (feeds and pages), and English's speed over each language's.
6. Memory: a fresh process set up as a worker is (Django, the task modules, the knowledge index
   built) reports its resident set size, before and after building the index.
7. bench/results/tagging-<time>.json and .md; the markdown is printed.

Not a test: timings on a shared 2-core machine are noisy; report the ratios of one run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

# Run as a script, this folder is on sys.path: the ingest benchmark's database and corpus helpers.
from ingest import DEMO, demo_sentences, feed_texts, prepare_database
from report import results_write

REPO = Path(__file__).resolve().parent.parent
WORDS_PER_ARTICLE = 700
TARGET_PER_SECOND = 1000
TARGET_RATIO = 3.0

WORKER_PROBE = """
import os, sys
sys.path.insert(0, {repo!r})
os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
def rss():
    fields = dict(line.split(":", 1) for line in open("/proc/self/status"))
    return int(fields["VmRSS"].split()[0]) * 1024
import django
django.setup()
import articles.tasks  # what a worker imports
before = rss()
from articles.tagging.knowledge import get_index
get_index()
print(before, rss())
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", default="", help="a PostgreSQL URL whose name ends in 'bench' (recreated)")
    return parser.parse_args()


def compose(count: int, seed: int, sentences: list[str]) -> list[dict]:
    rng = random.Random(seed)
    articles = []
    for number in range(count):
        chosen, words = [], 0
        while words < WORDS_PER_ARTICLE:
            sentence = rng.choice(sentences)
            chosen.append(sentence)
            words += len(sentence.split())
        paragraphs = ["  ".join(chosen[i:i + 3]) for i in range(0, len(chosen), 3)]
        articles.append({
            "title": chosen[0].rstrip(".")[:120],
            "body": "\n\n".join(paragraphs),
            "published_at": dt.date(2021, 1, 1) + dt.timedelta(days=number),
        })
    return articles


# Letters Pashto writes and Dari does not: tell a bilingual outlet's pieces apart.
PASHTO_LETTERS = re.compile("[ټډړږښګڼېۍځڅ]")
LANGUAGES = ("en", "fa", "ps", "ur")


def demo_sentences_by_language() -> dict[str, list[str]]:
    """The demo corpus's sentences (feeds and pages, main text as ingestion extracts it), by the
    language of their outlet (a Dari and Pashto outlet's piece by its page's language)."""
    import trafilatura
    import yaml

    by_language: dict[str, list[str]] = {language: [] for language in LANGUAGES}
    for outlet in yaml.safe_load((DEMO / "outlets.yaml").read_text(encoding="utf-8")):
        languages = outlet["language"] if isinstance(outlet["language"], list) else [outlet["language"]]
        folder = DEMO / outlet["slug"]
        texts: list[tuple[str, str]] = []  # (language hint, text)
        for path in sorted(folder.glob("feed.*")):
            texts += [("", text) for text in feed_texts(path)]
        for path in sorted(folder.glob("pages/*.html")):
            page = path.read_text(encoding="utf-8")
            declared = re.search(r'<html[^>]*\blang="(\w+)"', page)
            texts.append((declared.group(1) if declared else "", trafilatura.extract(page) or ""))
        for hint, text in texts:
            language = hint if hint in languages else languages[0]
            if len(languages) > 1 and not hint:
                language = "ps" if PASHTO_LETTERS.search(text) and "ps" in languages else languages[0]
            text = re.sub(r"^\s*[^\n—]{1,40} — ", "", text)
            by_language[language] += [
                s.strip() for s in re.split(r"(?<=[.!?؟۔])\s+", text) if len(s.split()) > 5
            ]
    return by_language


def surface_forms(index) -> list[str]:
    """The texts our automaton holds, in their original spelling."""
    from articles.models import Organization, Person, Place, Topic

    forms = set()
    for model in (Person, Place):
        for name, aliases in model.objects.values_list("name", "aliases"):
            forms.update([name, *aliases])
    for name, aliases, acronyms in Organization.objects.values_list("name", "aliases", "acronyms"):
        forms.update([name, *aliases, *acronyms])
    for rules in Topic.objects.values_list("rules", flat=True):
        forms.update(rule["phrase"] for rule in (rules or {}).get("phrases", []))
    return sorted(f for f in forms if f.strip())


def per_second(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def worker_memory(database_url: str) -> tuple[int, int]:
    env = {**os.environ, "DATABASE_URL": database_url}
    out = subprocess.run(
        [sys.executable, "-c", WORKER_PROBE.format(repo=str(REPO))], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    return int(out[0]), int(out[1])


def main() -> None:
    args = parse_args()
    database_url = prepare_database(args.database)
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_knowledge_base", verbosity=0)

    import spacy
    from spacy.matcher import PhraseMatcher

    from articles.tagging import analyze
    from articles.tagging.knowledge import build_index
    from articles.text.normalize import fold

    started = time.perf_counter()
    index = build_index()
    index_seconds = time.perf_counter() - started
    articles = compose(args.articles, args.seed, demo_sentences())
    words = statistics.mean(len(a["body"].split()) for a in articles)

    nlp = spacy.blank("en")
    forms = surface_forms(index)
    started = time.perf_counter()
    phrase_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    phrase_matcher.add("KB", list(nlp.tokenizer.pipe(forms)))
    spacy_build_seconds = time.perf_counter() - started

    def ours_tags() -> int:
        return sum(len(analyze(title=a["title"], body=a["body"], published_at=a["published_at"], index=index,
                               details=False).mentions) for a in articles)

    def ours_full() -> int:
        return sum(len(analyze(title=a["title"], body=a["body"], published_at=a["published_at"], index=index).mentions)
                   for a in articles)

    def ours_matcher() -> int:
        return sum(len(index.matcher.find(a["body"], folded=fold(a["body"])).mentions) for a in articles)

    def baseline() -> int:
        return sum(len(phrase_matcher(nlp.make_doc(a["body"]))) for a in articles)

    modes = (("ours (full analysis)", ours_full), ("spaCy PhraseMatcher", baseline),
             ("ours (tags and topics)", ours_tags), ("ours (matcher only)", ours_matcher))
    runs: dict[str, list[float]] = {label: [] for label, _work in modes}
    found: dict[str, int] = {}
    for _ in range(args.runs):
        for label, work in modes:
            started = time.process_time()
            found[label] = work()
            runs[label].append(per_second(len(articles), time.process_time() - started))
    medians = {label: statistics.median(values) for label, values in runs.items()}

    # The full analysis on each language's text, the same number of articles of the same length.
    by_language = {
        language: compose(args.articles, args.seed, sentences)
        for language, sentences in demo_sentences_by_language().items() if sentences
    }
    language_runs: dict[str, list[float]] = {language: [] for language in by_language}
    for _ in range(args.runs):
        for language, texts in by_language.items():
            started = time.process_time()
            for a in texts:
                analyze(title=a["title"], body=a["body"], published_at=a["published_at"], index=index)
            language_runs[language].append(per_second(len(texts), time.process_time() - started))
    language_medians = {language: statistics.median(values) for language, values in language_runs.items()}
    rss_before, rss_after = worker_memory(database_url)

    result = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": "postgresql" if database_url.startswith("postgres") else "sqlite",
        "articles": len(articles), "mean_words": round(words), "runs": args.runs,
        "surface_forms": len(forms), "index_build_seconds": round(index_seconds, 3),
        "spacy_build_seconds": round(spacy_build_seconds, 3),
        "articles_per_second": {label: [round(v) for v in values] for label, values in runs.items()},
        "median_articles_per_second": {label: round(v) for label, v in medians.items()},
        "ratio_full_analysis_to_spacy": round(medians["ours (full analysis)"] / medians["spaCy PhraseMatcher"], 2),
        "ratio_tags_to_spacy": round(medians["ours (tags and topics)"] / medians["spaCy PhraseMatcher"], 2),
        "ratio_matcher_to_spacy": round(medians["ours (matcher only)"] / medians["spaCy PhraseMatcher"], 2),
        "matches_per_run": found,
        "full_analysis_by_language": {
            language: {
                "median_articles_per_second": round(language_medians[language]),
                "runs": [round(v) for v in language_runs[language]],
                "mean_words": round(statistics.mean(len(a["body"].split()) for a in by_language[language])),
                "english_over_this": round(language_medians["en"] / language_medians[language], 2),
            }
            for language in by_language
        },
        "worker_rss_mib": {"before_index": round(rss_before / 2**20, 1), "with_index": round(rss_after / 2**20, 1),
                           "index": round((rss_after - rss_before) / 2**20, 1)},
    }
    lines = [
        f"# Tagging benchmark, {result['when']}",
        "",
        f"{result['articles']} articles of {result['mean_words']} words on average (demo corpus sentences), "
        f"{result['surface_forms']} surface forms, {args.runs} runs, one process, {result['database']}; "
        "articles per second of CPU time.",
        "",
        "| | median articles/s | runs |",
        "| --- | ---: | --- |",
        *[f"| {label} | {round(medians[label])} | {', '.join(str(round(v)) for v in runs[label])} |" for label in runs],
        "",
        f"- ratios to the PhraseMatcher (aim: {TARGET_RATIO:g}): matcher alone **{result['ratio_matcher_to_spacy']}**, "
        f"tags and topics **{result['ratio_tags_to_spacy']}**, full analysis **{result['ratio_full_analysis_to_spacy']}**",
        f"- aim of {TARGET_PER_SECOND} articles/s: tags and topics "
        f"{'met' if medians['ours (tags and topics)'] >= TARGET_PER_SECOND else 'not met'}, full analysis "
        f"{'met' if medians['ours (full analysis)'] >= TARGET_PER_SECOND else 'not met'}",
        f"- building: our index {index_seconds:.2f} s (from the database), the PhraseMatcher {spacy_build_seconds:.2f} s",
        "",
        "Full analysis by language (the demo corpus's sentences of each; aim for Dari and Pashto: English "
        "no more than 1.5 times as fast):",
        "",
        "| language | mean words | median articles/s | English / this |",
        "| --- | ---: | ---: | ---: |",
        *[
            f"| {language} | {row['mean_words']} | {row['median_articles_per_second']} | {row['english_over_this']} |"
            for language, row in result["full_analysis_by_language"].items()
        ],
        "",
        f"- worker memory (RSS): {result['worker_rss_mib']['before_index']} MiB with Django and the tasks imported, "
        f"{result['worker_rss_mib']['with_index']} MiB with the knowledge index built "
        f"(+{result['worker_rss_mib']['index']} MiB)",
    ]
    results_write("tagging", result, lines)


if __name__ == "__main__":
    main()
