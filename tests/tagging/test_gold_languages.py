"""Measured quality in every language we read: the Dari, Pashto and Urdu gold sets and the English
one written with unlisted romanisations, against issue 14's targets (people F1 0.9, organizations
and places recall 0.85, every stated publication date and every relevance judgement right, no false
person merges) and, for events, the floor measured so far where the target is not met yet."""

from pathlib import Path

import pytest

from articles.evaluation import evaluate, gold_paths, load_gold, unknown_names

pytestmark = pytest.mark.django_db

GOLD_DIR = Path(__file__).parent / "gold"
SETS = ["fa", "ps", "ur", "en-variants"]
# Issue 14's target is recall 0.8 in every set; below it, the floors measured (README, Tagging quality).
EVENTS_RECALL_AT_LEAST = {"fa": 0.6, "ps": 0.54, "ur": 0.63, "en-variants": 0.68}


@pytest.fixture(scope="module")
def evaluations(django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        return {name: evaluate([load_gold(p) for p in gold_paths([GOLD_DIR / name])]) for name in SETS}


@pytest.mark.parametrize("name", SETS)
def test_each_set_has_ten_articles_or_more_and_known_names(name):
    golds = [load_gold(p) for p in gold_paths([GOLD_DIR / name])]
    assert len(golds) >= 10
    assert unknown_names(golds) == []


@pytest.mark.parametrize("name", SETS)
def test_people_organizations_and_places(evaluations, name):
    scores = evaluations[name].scores
    assert scores["people"].f1 >= 0.9, evaluations[name].table()
    assert scores["organizations"].recall >= 0.85, evaluations[name].table()
    assert scores["places"].recall >= 0.85, evaluations[name].table()


@pytest.mark.parametrize("name", SETS)
def test_dates_relevance_and_merges_are_all_right(evaluations, name):
    evaluation = evaluations[name]
    assert evaluation.published_right == evaluation.published_expected, evaluation.table()
    assert evaluation.after_fetch == 0
    relevance = evaluation.scores["relevance"]
    assert relevance.false_positives == relevance.false_negatives == 0, evaluation.table()
    assert all(not result.forbidden for result in evaluation.articles), "a person the gold forbids (a false merge)"


@pytest.mark.parametrize("name", SETS)
def test_events_are_right_and_recall_keeps_its_floor(evaluations, name):
    events = evaluations[name].scores["events"]
    assert events.precision >= 0.95, evaluations[name].table()
    assert events.recall >= EVENTS_RECALL_AT_LEAST[name], evaluations[name].table()
    assert all(not result.events_forbidden for result in evaluations[name].articles)
