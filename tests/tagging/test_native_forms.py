"""Dari, Pashto and Urdu names as running text inflects them: Pashto's genitive chain, oblique
plurals and feminine obliques, Urdu's agreeing postposition, and bodies named by what they are to
an owner the text named ('د دغې ډلې د سیاسي دفتر', 'دفتر سیاسی این گروه')."""

import pytest

from articles.tagging import analyze
from articles.tagging.knowledge import get_index
from articles.tagging.rephrasings import native_forms

pytestmark = pytest.mark.django_db


def organizations(text: str) -> set[str]:
    index = get_index()
    result = analyze(title="", body=text, index=index)
    return {index.matcher.entities[key].name for key in result.mentions if key[0] == "organization"}


def places(text: str) -> set[str]:
    index = get_index()
    result = analyze(title="", body=text, index=index)
    return {index.matcher.entities[key].name for key in result.mentions if key[0] == "place"}


def test_pashto_genitive_chain_oblique_and_compound_forms():
    forms = native_forms({"ps": ["د ملي پخلاینې عالي شورا", "امنیتي او دفاعي ځواکونه", "د کندهار هوايي ډګر"]})
    assert "د ملي پخلاینې د عالي شورا" in forms  # 'د ملي پخلاینې د عالي شورا مشر', the council's head
    assert "امنیتي او دفاعي ځواکونو" in forms  # oblique plural after 'پر'
    assert "کندهار هوايي ډګر" in forms  # a compound without 'د' ('کندهار هوايي ډګر ته')
    assert "د کندهار په هوايي ډګر" in forms  # 'د کندهار په هوايي ډګر کې', at the airfield


def test_pashto_feminine_oblique_and_urdu_postpositions():
    assert "روسیې" in native_forms({"ps": ["روسیه"]})
    assert set(native_forms({"ur": ["طالبان کا سیاسی دفتر"]})) == {"طالبان کے سیاسی دفتر", "طالبان کی سیاسی دفتر"}
    assert native_forms({"fa": ["شورای عالی مصالحه ملی"]}) == []  # Dari names are listed as written


def test_inflected_pashto_names_link_in_running_text():
    text = "د ملي پخلاینې د عالي شورا مشر عبدالله عبدالله د روسیې په پلازمېنه مسکو کې وویل چې خبرې به دوام وکړي."
    assert "High Council for National Reconciliation" in organizations(text)
    assert "Russia" in places(text)


def test_a_body_named_by_what_it_is_to_the_group_the_text_named():
    pashto = "طالبانو وویل چې د دغې ډلې د سیاسي دفتر مشر به دوحې ته ولاړ شي."
    assert "Taliban Political Office" in organizations(pashto)
    dari = "طالبان اعلام کردند که رئیس دفتر سیاسی این گروه به مسکو سفر می‌کند."
    assert "Taliban Political Office" in organizations(dari)


def test_an_owner_word_without_the_owner_named_links_nothing():
    # 'their political office' with no organization named before: whose, the text does not say.
    assert "Taliban Political Office" not in organizations("د دوی د سیاسي دفتر مشر نن کابل ته راغی.")
    assert "Taliban Political Office" not in organizations("دفتر سیاسی این گروه امروز بیانیه‌ای نشر کرد.")


def test_a_weekday_is_never_a_city():
    # 'دوشنبه' is Monday in Dari and Pashto, and Dushanbe only beside the word for city.
    assert "Dushanbe" not in places("هیئت طالبان روز دوشنبه به کابل رسید.")
    assert "Dushanbe" not in places("غونډه به د دوشنبې په ورځ پیل شي.")
    assert "Dushanbe" in places("وزیران خارجه منطقه در شهر دوشنبه دیدار کردند.")
