"""Dari, Pashto and English in one browser: right-to-left text in its own font, the language facet,
a person page with articles in three languages (issue 14). Each ends in a screenshot."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from articles.ingest import ParsedDocument, article_upsert
from articles.models import Article
from articles.tagging import article_tag

from .conftest import screenshot

pytestmark = pytest.mark.django_db

# Our own sentences, in the demo corpus' manner: (key, language, outlet, day, title, body).
STORIES = [
    ("dari", "fa", "روزنامه آزمون", "2021-03-10",
     "خلیلزاد در دوحه با ملا برادر دیدار کرد",
     "دوحه (روزنامه آزمون) – زلمی خلیلزاد، نماینده ویژه آمریکا، روز سه‌شنبه ۱۹ حوت ۱۳۹۹ در دوحه با ملا "
     "عبدالغنی برادر، معاون طالبان، دیدار کرد.\n\nدر این دیدار دو طرف درباره کاهش خشونت و ادامه گفتگوهای "
     "صلح افغانستان گفتگو کردند."),
    ("pashto", "ps", "ازموینه ورځپاڼه", "2021-03-11",
     "خلیلزاد په دوحه کې له ملا برادر سره وکتل",
     "دوحه (ازموینه ورځپاڼه) – زلمی خلیلزاد د چهارشنبې په ورځ په دوحه کې د طالبانو له مرستیال ملا "
     "عبدالغني برادر سره وکتل.\n\nدواړو خواوو د تاوتریخوالي د کمولو او د سولې د خبرو په اړه خبرې وکړې."),
    ("english", "en", "Test Ledger", "2021-03-12",
     "Khalilzad and Baradar discuss violence in Doha",
     "DOHA – Zalmay Khalilzad met Abdul Ghani Baradar of the Taliban in Doha to discuss a reduction in "
     "violence and the Doha agreement."),
]


@pytest.fixture(scope="module")
def scripts(site, django_db_blocker):
    """The three stories, ingested and tagged through the real services and committed for the live
    server; removed afterwards."""
    with django_db_blocker.unblock():
        made = {}
        for key, language, outlet, day, title, body in STORIES:
            document = ParsedDocument(
                url=f"https://scripts.example/{key}", title=title, body=body, source_name=outlet, language=language,
                published_at=dt.datetime.fromisoformat(day).replace(hour=9, tzinfo=dt.UTC),
            )
            article, _ = article_upsert(document=document)
            article_tag(article=article)
            article.refresh_from_db()
            made[key] = article
        try:
            yield made
        finally:
            Article.objects.filter(pk__in=[a.pk for a in made.values()]).delete()


def test_a_dari_article_is_right_to_left_in_its_own_font(page, scripts):
    article = scripts["dari"]
    assert article.language == "fa"
    page.goto(article.get_absolute_url())
    title, body = page.locator("#story-title"), page.locator(".story .body")
    expect(title).to_have_attribute("dir", "rtl")
    expect(title).to_have_attribute("lang", "fa")
    expect(body).to_have_attribute("dir", "rtl")
    assert body.evaluate("node => getComputedStyle(node).direction") == "rtl"
    assert body.evaluate("node => getComputedStyle(node).fontFamily").startswith('"Noto Naskh Arabic"')
    # The font file itself came from this site (CSP: default-src 'self') and was used.
    loaded = page.evaluate(
        "async () => { await document.fonts.ready;"
        " return [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family + ' ' + f.weight); }")
    assert "Noto Naskh Arabic 400" in loaded
    assert page.evaluate("document.fonts.check('16px \"Noto Naskh Arabic\"', 'خلیلزاد')")
    # The text block starts at its column's right edge; the chrome stays left to right.
    right_gap = page.evaluate(
        "() => document.querySelector('.story').getBoundingClientRect().right"
        " - document.querySelector('.story .body').getBoundingClientRect().right")
    assert right_gap < 50
    assert page.locator(".crumbs").evaluate("node => getComputedStyle(node).direction") == "ltr"
    screenshot(page, "dari-article")
    assert page.errors == []


def test_a_page_without_arabic_script_loads_no_font(page, site, scripts):
    """The font holds only Arabic-script letters (unicode-range): an English page with no such
    letter (the cricket story, related to none of them) downloads nothing."""
    page.goto(site[1].articles["cricket"].get_absolute_url())
    statuses = page.evaluate(
        "async () => { await document.fonts.ready; return [...document.fonts].map(f => f.status); }")
    assert "loaded" not in statuses


def test_the_list_filtered_to_pashto(page, scripts):
    page.goto("/articles/")
    page.locator(".facets a", has_text="Pashto").click()
    expect(page).to_have_url(r"/articles/?language=ps")
    expect(page.locator(".chip.language")).to_contain_text("Pashto")
    facet = page.locator(".facet", has=page.locator("h3", has_text="Languages"))
    expect(facet.locator("li.selected")).to_contain_text("Pashto")
    titles = page.locator(".card-title")
    expect(titles).to_have_count(1)
    expect(titles.first).to_have_text(scripts["pashto"].title)
    expect(titles.first).to_have_attribute("dir", "auto")
    assert titles.first.evaluate("node => getComputedStyle(node).direction") == "rtl"
    assert page.locator(".card .meta").first.evaluate("node => getComputedStyle(node).direction") == "ltr"
    screenshot(page, "pashto-list")
    # Applying the form's other filters keeps the language.
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(r"/articles/?language=ps")
    assert page.errors == []


def test_a_person_page_with_articles_in_three_languages(page, scripts):
    page.goto("/people/zalmay-khalilzad/")
    latest = page.locator("#latest-heading + .row-item, #latest-heading ~ .row-item")
    for key in ("dari", "pashto", "english"):
        link = latest.get_by_role("link", name=scripts[key].title)
        expect(link).to_have_attribute("lang", scripts[key].language)
        direction = "ltr" if key == "english" else "rtl"
        assert link.evaluate("node => getComputedStyle(node).direction") == direction
    expect(page.locator("dd.native-names span[lang=fa]").first).to_have_attribute("dir", "rtl")
    # An outlet's Arabic-script name keeps the date after it, in the order written.
    meta = latest.filter(has_text=scripts["dari"].title).locator(".meta-inline")
    expect(meta).to_have_text("روزنامه آزمون · 10 March 2021")
    screenshot(page, "person-mixed-languages")
    assert page.errors == []
