"""A reader's main journeys in a real browser, each ending in a screenshot."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

# The mark makes pytest-django create the test database; the corpus itself is committed by `site`.
pytestmark = pytest.mark.django_db


def test_filter_by_an_actor_with_the_picker_and_a_date_range(page, site):
    page.goto("/articles/")
    person = page.get_by_label("Person", exact=True)
    person.fill("Khalilz")
    option = page.get_by_role("option", name=re.compile("Zalmay Khalilzad"))
    expect(option).to_be_visible()
    person.press("ArrowDown")
    person.press("Enter")
    expect(page).to_have_url(re.compile(r"person=zalmay-khalilzad"))
    expect(page.locator(".chip.person")).to_contain_text("Zalmay Khalilzad")
    page.get_by_label("From").fill("2021-03-01")
    page.get_by_label("To", exact=True).fill("2021-03-31")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"date_after=2021-03-01"))
    titles = page.locator(".card-title").all_inner_texts()
    assert titles and "Khalilzad visits Islamabad after Doha round" in titles
    assert "US and Taliban sign the Doha agreement" not in titles  # February 2020
    expect(page.locator(".facets")).to_contain_text("Qamar Javed Bajwa")
    screenshot(page, "list")
    # A facet narrows the result; a chip's × widens it again.
    page.locator(".facets a", has_text="Qamar Javed Bajwa").click()
    expect(page.locator(".card-title")).to_have_count(1)
    page.get_by_role("link", name=re.compile("Remove person Qamar Javed Bajwa")).click()
    expect(page.locator(".card-title")).to_have_count(len(titles))
    assert page.errors == []


def test_use_the_search_box(page, site):
    page.goto("/")
    page.get_by_role("searchbox", name="Search articles").first.fill("ceasefire")
    page.get_by_role("searchbox", name="Search articles").first.press("Enter")
    expect(page).to_have_url(re.compile(r"q=ceasefire"))
    expect(page.locator(".card-title").first).to_have_text("Moscow conference calls for a ceasefire")
    expect(page.locator(".snippet mark").first).to_have_text(re.compile("ceasefire", re.IGNORECASE))
    expect(page.locator(".chip.q")).to_contain_text("ceasefire")
    screenshot(page, "search")
    assert page.errors == []


def test_open_an_article_and_follow_an_entity(page, site):
    _, corpus = site
    page.goto("/articles/?person=abdul-ghani-baradar")
    page.get_by_role("link", name=corpus.articles["talks"].title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(corpus.articles["talks"].title)
    expect(page.locator(".mention.person").first).to_be_visible()
    expect(page.locator(".same-story")).to_contain_text("Gulf Crescent Times")
    screenshot(page, "article")
    page.locator(".body a.mention.person", has_text="Zalmay Khalilzad").first.click()
    expect(page).to_have_url(re.compile(r"/people/zalmay-khalilzad/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Zalmay Khalilzad")
    assert page.errors == []


def test_read_a_person_page(page, site):
    page.goto("/people/zalmay-khalilzad/")
    expect(page.locator(".roles")).to_contain_text("US Special Representative for Afghanistan Reconciliation")
    expect(page.locator(".chart svg rect.bar").first).to_be_attached()
    expect(page.locator(".entity-side")).to_contain_text("Abdul Ghani Baradar")
    screenshot(page, "person")
    page.get_by_role("link", name=re.compile(r"stor(y|ies) →")).first.click()
    expect(page).to_have_url(re.compile(r"/articles/\?person=zalmay-khalilzad"))
    assert page.errors == []


def test_a_story_once_then_every_copy(page, site):
    _, corpus = site
    page.goto("/articles/?person=abdul-ghani-baradar")
    card = page.locator(".card", has_text=corpus.articles["talks"].title)
    expect(card.locator(".also-in")).to_contain_text("Also in 1 other outlet: Gulf Crescent Times")
    expect(page.locator(".card-title", has_text=corpus.articles["talks-copy"].title)).to_have_count(0)
    screenshot(page, "stories")
    page.get_by_role("link", name="Every copy").click()
    expect(page).to_have_url(re.compile(r"copies=all"))
    copy = page.locator(".card", has_text=corpus.articles["talks-copy"].title)
    expect(copy.locator(".also-in")).to_contain_text("A copy of")
    copy.get_by_role("link", name=re.compile("a story another outlet ran first")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(corpus.articles["talks"].title)
    assert page.errors == []


def test_a_name_of_several_organizations_offers_each(page, site):
    page.goto("/articles/?organization=National+Security+Council")
    expect(page.get_by_role("heading", level=1)).to_have_text("Which one do you mean?")
    screenshot(page, "choose")
    page.get_by_role("link", name="United States National Security Council").click()
    expect(page).to_have_url(re.compile(r"organization=us-national-security-council"))
    expect(page.locator(".chip.organization")).to_contain_text("United States National Security Council")
    assert page.errors == []


def test_move_through_the_timeline(page, site):
    _, corpus = site
    page.goto("/events/")
    expect(page.locator(".month-title").first).to_be_visible()
    screenshot(page, "timeline", full_page=False)  # the first screen: a full page of 60 events is very long
    # Ticking a kind filters at once (the live filter), without pressing Apply.
    page.get_by_role("checkbox", name="Agreement", exact=True).check()
    expect(page).to_have_url(re.compile(r"kind=agreement"))
    expect(page.locator(".kind-badge").first).to_be_visible()
    kinds = page.locator(".kind-badge").all_inner_texts()
    assert kinds and {kind.lower() for kind in kinds} == {"agreement"}
    page.goto("/events/?person=zalmay-khalilzad&date_after=2021-03-01&date_before=2021-03-31")
    page.get_by_role("link", name=corpus.event.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(corpus.event.title)
    expect(page.locator(".participants")).to_contain_text("Zalmay Khalilzad")
    page.get_by_role("link", name=corpus.articles["talks"].title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(corpus.articles["talks"].title)
    assert page.errors == []


def test_home_and_keyboard(page, site):
    page.goto("/")
    expect(page.locator(".story-item").first).to_be_visible()
    expect(page.locator(".also-in").first).to_contain_text("Gulf Crescent Times")
    screenshot(page, "home")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    assert page.errors == []


def test_pages_at_phone_width_do_not_scroll_sideways(browser, site):
    url, corpus = site
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=url, is_mobile=True)
    page = context.new_page()
    try:
        for name, path in [("home", "/"), ("list", "/articles/?person=zalmay-khalilzad"),
                           ("article", corpus.articles["talks"].get_absolute_url()),
                           ("person", "/people/zalmay-khalilzad/"), ("timeline", "/events/"),
                           ("search", "/articles/?q=reduction+in+violence&copies=all"),
                           ("choose", "/articles/?organization=US+Embassy")]:
            page.goto(path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, (path, width)
            screenshot(page, f"phone-{name}", full_page=False)  # the first screen a phone shows
    finally:
        context.close()


def test_pages_work_without_javascript(browser, site):
    url, _ = site
    context = browser.new_context(java_script_enabled=False, base_url=url)
    page = context.new_page()
    try:
        page.goto("/articles/")
        page.get_by_label("Person", exact=True).fill("Abdul Ghani Baradar")  # a name, not a slug
        page.get_by_role("button", name="Apply filters").click()
        expect(page).to_have_url(re.compile(r"person=abdul-ghani-baradar"))
        expect(page.locator(".chip.person")).to_contain_text("Abdul Ghani Baradar")
    finally:
        context.close()
