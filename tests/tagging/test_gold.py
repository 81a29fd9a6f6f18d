"""Measured quality: the tagger against the shipped gold articles, and the gold files themselves."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.tagging.evaluation import evaluate, gold_paths, load_gold, unknown_names
from articles.tagging.normalize import fold

pytestmark = pytest.mark.django_db

GOLD_DIR = Path(__file__).parent / "gold"
# The targets of issue 4.
TARGETS = {"people": 0.95, "organizations": 0.9, "places": 0.9, "topics": 0.85, "event dates": 0.9}


@pytest.fixture(scope="module")
def golds():
    return [load_gold(path) for path in gold_paths([GOLD_DIR])]


def test_gold_set_is_the_seed_and_at_least_twelve_more(golds):
    assert len(golds) >= 13
    assert sum(1 for g in golds if g.path.name.startswith("00-seed")) == 1
    written = [g for g in golds if not g.path.name.startswith("00-seed")]
    assert all(g.body.count(" ") > 150 for g in written), "each gold article is a short news text"


def test_gold_names_exist_in_the_knowledge_base(golds):
    assert unknown_names(golds) == []


@pytest.mark.parametrize("kind", list(TARGETS))
def test_f1_meets_the_target(golds, kind):
    evaluation = evaluate(golds)
    score = evaluation.scores[kind]
    assert score.f1 >= TARGETS[kind], (kind, evaluation.table())


def test_no_person_the_gold_forbids(golds):
    evaluation = evaluate(golds)
    assert [(r.gold.path.name, r.forbidden) for r in evaluation.articles if r.forbidden] == []


def test_publication_dates_are_inferred_where_the_gold_expects(golds):
    evaluation = evaluate(golds)
    assert evaluation.published_expected >= 3
    assert evaluation.published_right == evaluation.published_expected


def test_seed_gold_in_our_format_keeps_up_with_the_original(seed_gold, golds):
    """Every 'must' of the seed's JSON gold is in our conversion, under its canonical name."""
    ours = next(g for g in golds if g.path.name.startswith("00-seed"))
    people = {fold(p["name"]) for p in seed_gold["people"]["must"]}
    assert people == set(ours.entities["people"].must)
    for kind in ("organizations", "places"):
        # The JSON writes 'Inter-Services Public Relations (ISPR)': compare without the acronym.
        theirs = {fold(name.split(" (")[0]).replace("-", " ") for name in seed_gold[kind]["must"]}
        assert theirs == {name.replace("-", " ") for name in ours.entities[kind].must}, kind
    assert len(seed_gold["topics"]["must"]) == len(ours.entities["topics"].must)
    assert {e["date"] for e in seed_gold["events"]["must"]} == set(ours.entities["event dates"].must)
    assert ours.expected_published == (seed_gold["article"]["published"]["date"], seed_gold["article"]["published"]["precision"])


def test_every_must_item_of_the_seed_is_found_and_no_must_not_person(golds):
    seed = next(g for g in golds if g.path.name.startswith("00-seed"))
    result = evaluate([seed]).articles[0]
    assert all(not missed for missed in result.missed.values()), result.missed
    assert not result.forbidden


def test_evaluate_tagging_command_prints_scores_per_kind(capsys):
    call_command("evaluate_tagging", str(GOLD_DIR))
    out = capsys.readouterr().out
    for kind in TARGETS:
        assert kind in out
    assert "F1" in out


def test_evaluate_tagging_refuses_a_broken_gold_file(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("title: [unclosed\n", encoding="utf-8")
    with pytest.raises(CommandError, match="cannot read"):
        call_command("evaluate_tagging", str(broken))

