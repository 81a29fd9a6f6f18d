"""A few articles and the searches they answer, shared by the page's and the API's search tests.

Each query's expected keys hold on both databases: the same run of tests is the check that
SQLite's FTS5 index and PostgreSQL's search vector read the syntax alike. Every text is our own.
"""

from __future__ import annotations

import datetime as dt

from articles.models import Article, Source

ARTICLES = {
    # key: (title, body, day)
    "ghani": ("Ashraf Ghani leaves the palace", "President Ashraf Ghani left Kabul on Sunday.", "2021-08-15"),
    "afghanistan": ("Provinces of Afghanistan", "Afghanistan's ministers met governors in Herat.", "2021-05-01"),
    "envoy-and-ghani": ("Khalilzad calls on Ghani", "Zalmay Khalilzad met Ashraf Ghani at the palace.", "2021-03-02"),
    "envoy": ("Khalilzad back in Doha", "Zalmay Khalilzad met the Taliban's negotiators in Doha.", "2021-03-05"),
    "baradar": ("Baradar returns to Doha", "Mullah Baradar returned to Doha for the talks.", "2021-03-06"),
    "mujahid": ("Mujahid denies attack", "Zabihullah Mujahid, the Taliban's spokesman, denied the attack.",
                "2021-04-01"),
    "violence": ("Envoys press for a reduction in violence", "The reduction in violence held for seven days.",
                 "2020-02-28"),
    "scrambled": ("Violence rises", "Violence rose again, with no reduction in sight.", "2021-06-01"),
    "ceasefire": ("Eid ceasefire announced", "The Taliban announced a three-day ceasefire for Eid.", "2020-05-23"),
    "dari": ("گفتگوهای صلح در دوحه", "نمایندگان طالبان و دولت افغانستان در دوحه دیدار کردند.", "2020-09-12"),
}

# query: the keys of the articles it finds, whatever the order.
CASES = {
    "Ghani": {"ghani", "envoy-and-ghani"},  # never "Afghanistan"
    "ghani": {"ghani", "envoy-and-ghani"},
    "Khalilzad -Ghani": {"envoy"},
    "Baradar OR Mujahid": {"baradar", "mujahid"},
    "baradar or mujahid": {"baradar", "mujahid"},
    "Khalilzad Doha or Mujahid": {"envoy", "mujahid"},  # (Khalilzad and Doha) or Mujahid
    '"reduction in violence"': {"violence"},  # the words, not the phrase, are in "scrambled"
    "reduction violence": {"violence", "scrambled"},
    "ceasefires": {"ceasefire"},  # a plural finds the singular
    "violence": {"violence", "scrambled"},
    '"Ashraf Ghani': {"ghani", "envoy-and-ghani"},  # an unclosed quote ends with the text
    "Kabul or": {"ghani"},  # a stray operator is dropped
    'Doha -"returned to Doha"': {"envoy"},
    "-Ghani": set(),  # exclusions alone match nothing
    "!!! ) (": set(),  # nothing to search for matches nothing
    "دوحه": {"dari"},  # Arabic script: whole words
    "دوح": set(),
}


def search_articles() -> dict[str, Article]:
    source = Source.objects.create(name="Search Test Wire", slug="search-test-wire")
    return {
        key: Article.objects.create(
            url=f"https://search.example/{key}", title=title, body=body, content_hash=key, source=source,
            published_at=dt.datetime.fromisoformat(day).replace(hour=9, tzinfo=dt.UTC),
        )
        for key, (title, body, day) in ARTICLES.items()
    }
