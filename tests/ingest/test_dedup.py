"""One story, one row: exact and near-duplicates across outlets, whatever order they arrive in."""

import datetime as dt
import subprocess
import sys

import pytest

from articles.ingest import Outcome, article_upsert, parse_plain_text
from articles.ingest.dedup import band_keys, shingles
from articles.ingest.urls import normalize_url
from articles.models import Article, ArticleBand

pytestmark = pytest.mark.django_db

ORIGINAL = """KABUL — Taliban fighters entered Kabul on Sunday and took over the presidential palace hours after President Ashraf Ghani left the country, completing a sweep across Afghanistan that took little more than a week.

Ghani said in a message that he had left to avoid bloodshed. He did not say where he had gone.

Earlier on Sunday the eastern city of Jalalabad was handed over without a fight. Mazar-i-Sharif, the main city of the north, had fallen on Saturday evening.

Abdullah Abdullah confirmed in a video message that the president had left, and said that history would judge him.

American helicopters ferried staff from the US embassy to the airport, which has become the only route out of the country."""

# New first line, one sentence dropped, one added: a syndicated, lightly edited copy.
COPY = """ISLAMABAD — The Taliban took control of Kabul on Sunday and took over the presidential palace hours after President Ashraf Ghani left the country, completing a sweep across Afghanistan that took little more than a week.

Ghani said in a message that he had left to avoid bloodshed. He did not say where he had gone.

Earlier on Sunday the eastern city of Jalalabad was handed over without a fight. Mazar-i-Sharif, the main city of the north, had fallen on Saturday evening.

American helicopters ferried staff from the US embassy to the airport, which has become the only route out of the country.

Pakistan said it was watching the situation closely."""

SAME_EVENT_OTHER_STORY = """KABUL — Crowds gathered at the gates of Kabul airport on Monday as thousands of Afghans tried to leave the country a day after the Taliban took the capital.

Commercial flights were suspended and the United States said it would take control of air traffic to secure the evacuation of its citizens and of Afghans who worked with its forces.

Witnesses described scenes of panic on the runway, where some people clung to a departing military transport aircraft."""


def store(text: str, url: str, day: int, title: str = "") -> Article:
    document = parse_plain_text(text, url=url, title=title)
    document.published_at = dt.datetime(2021, 8, day, 12, tzinfo=dt.UTC)
    article, _outcome = article_upsert(document=document)
    article.refresh_from_db()
    return article


def test_a_lightly_edited_copy_points_to_the_original():
    original = store(ORIGINAL, "https://ledger.example/kabul", 15, "Taliban enter Kabul")
    copy = store(COPY, "https://post.example/kabul-falls", 16, "Kabul falls")
    other = store(SAME_EVENT_OTHER_STORY, "https://wire.example/airport", 16, "Crowds at the airport")

    assert copy.duplicate_of_id == original.pk
    assert original.duplicate_of_id is None and other.duplicate_of_id is None


def test_the_earliest_published_is_the_original_whatever_the_order_of_arrival():
    copy = store(COPY, "https://post.example/kabul-falls", 16)
    third = store(COPY + "\n\nA third outlet added this line.", "https://third.example/k", 17)
    assert third.duplicate_of_id == copy.pk

    original = store(ORIGINAL, "https://ledger.example/kabul", 15)

    copy.refresh_from_db()
    third.refresh_from_db()
    original.refresh_from_db()
    assert original.duplicate_of_id is None
    assert copy.duplicate_of_id == original.pk and third.duplicate_of_id == original.pk


def test_an_exact_copy_under_another_url_is_a_duplicate():
    first = store(ORIGINAL, "https://ledger.example/kabul", 15)
    again = store(ORIGINAL.replace("  ", " ").upper(), "https://mirror.example/kabul", 15)
    assert again.duplicate_of_id == first.pk


def test_the_same_url_in_another_spelling_is_the_same_row():
    store(ORIGINAL, "https://Ledger.example/kabul/?utm_source=twitter#top", 15)
    _article, outcome = article_upsert(document=parse_plain_text(ORIGINAL, url="https://ledger.example/kabul"))
    assert outcome is Outcome.UNCHANGED
    assert list(Article.objects.values_list("url", flat=True)) == [normalize_url("https://ledger.example/kabul")]


def test_bands_are_stored_in_the_database_and_replaced_on_update():
    article = store(ORIGINAL, "https://ledger.example/kabul", 15)
    keys = set(ArticleBand.objects.filter(article=article).values_list("key", flat=True))
    assert len(keys) == 20
    store(SAME_EVENT_OTHER_STORY, "https://ledger.example/kabul", 15)  # the page was rewritten
    assert set(ArticleBand.objects.filter(article=article).values_list("key", flat=True)).isdisjoint(keys)
    assert ArticleBand.objects.filter(article=article).count() == 20


def test_band_keys_are_the_same_in_another_process():
    here = band_keys(shingles(ORIGINAL))
    code = (
        "import sys; from articles.ingest.dedup import band_keys, shingles; "
        "print(band_keys(shingles(sys.stdin.read())))"
    )
    env_setup = "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'newsroom.settings'); django.setup(); "
    there = subprocess.run(
        [sys.executable, "-c", env_setup + code], input=ORIGINAL, capture_output=True, text=True, check=True, timeout=120
    ).stdout.strip()
    assert there == str(here)
