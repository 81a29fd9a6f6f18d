"""Dari, Pashto, Urdu and Arabic told apart on the gold texts, the demo corpus and a Dari text
typed on an Arabic keyboard (which py3langid alone took for Arabic)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from articles.ingest.documents import detect_language
from articles.text.language import arabic_script_language

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "tagging" / "gold"
DEMO = ROOT / "content" / "demo"


@pytest.mark.parametrize("language", ["fa", "ps", "ur"])
def test_every_gold_text_is_detected(language):
    paths = sorted((GOLD / language).glob("*.yaml"))
    assert paths
    for path in paths:
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert detect_language(gold["body"]) == language, path.name


def test_the_english_gold_texts_stay_english():
    for path in sorted(GOLD.glob("*.yaml")):
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        if gold.get("body"):
            assert detect_language(gold["body"]) == "en", path.name


def test_a_dari_text_typed_with_arabic_yeh_and_kaf_is_dari():
    text = ("كابل: حامد كرزي، رئيس جمهور پيشين، و شماري از رهبران سياسي كشور در مسكو با هيأت طالبان "
            "ديدار كردند و بر خروج نيروهاي خارجي پافشاري كردند.")
    assert detect_language(text) == "fa"


def test_arabic_stays_arabic():
    text = "قالت الحكومة الأفغانية إن المحادثات مع حركة طالبان في الدوحة ستستأنف الأسبوع المقبل بعد توقف دام شهرا."
    assert arabic_script_language(text) is None
    assert detect_language(text) == "ar"


def test_a_dari_text_quoting_a_pashto_name_stays_dari():
    text = ("نمایندگان دولت و طالبان روز شنبه در دوحه دیدار کردند و در بارهٔ آتش بس و زندانیان گفتگو کردند. "
            "یکی از اعضای هیأت گفت که گفتگوها ادامه خواهد یافت و از ولایت ننګرهار نیز نمایندگانی حضور داشتند.")
    assert detect_language(text) == "fa"


def test_english_quoting_a_dari_name_stays_english():
    text = "Zalmay Khalilzad (زلمی خلیلزاد) met the Taliban's negotiators in Doha on Saturday, officials said."
    assert detect_language(text) == "en"


def test_every_demo_page_in_the_arabic_script_is_detected():
    """The demo outlets' HTML pages (the feeds' items are checked through ingestion by `make content`)."""
    checked = 0
    for outlet in ("nilab-news", "qissa-khwani-daily"):
        for path in sorted((DEMO / outlet / "pages").glob("*.html")):  # Nilab names its pages fa-..., ps-...
            text = re.sub(r"<[^>]*>", " ", path.read_text(encoding="utf-8"))
            expected = path.name.split("-")[0] if outlet == "nilab-news" else "ur"
            assert detect_language(text) == expected, path.name
            checked += 1
    assert checked >= 5
