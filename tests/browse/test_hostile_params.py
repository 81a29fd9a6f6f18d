"""No page answers 500 to any query string: hostile, malformed and random parameters on every page."""

import random
import string

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PARAMETERS = [
    "person", "organization", "place", "topic", "source", "event", "match", "date_after", "date_before", "period",
    "relevant", "q", "sort", "page", "cursor", "kind",
]
HOSTILE_VALUES = [
    "", " ", "\x00", "%00", "'", '"', "' OR 1=1 --", "<script>alert(1)</script>", "../../etc/passwd", "x" * 10000,
    "-1", "0", "99999999999999999999999", "1e309", "NaN", "2021-02-30", "0000-00-00", "9999-12-31", "-2021-01-01",
    "d-1.1", "n.-1", "d1.99999999999999999999", "\u202eevil", "طالبان", "😀", "%", "_", "\\", "*", "&&", "|",
    "!!", "\"phrase", "a & b | !c", "(", "):*", "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
]


def _reading_pages() -> list[str]:
    """The pages that read their query string."""
    return [reverse("articles:list"), reverse("articles:feed"), reverse("articles:export_csv"),
            reverse("articles:suggest"), reverse("articles:events")]


def _pages(corpus) -> list[str]:
    return [
        *_reading_pages(), reverse("articles:home"), corpus.articles["talks"].get_absolute_url(),
        reverse("articles:person", args=["zalmay-khalilzad"]), reverse("articles:organization", args=["taliban"]),
        reverse("articles:place", args=["doha"]), reverse("articles:topic", args=["doha-agreement"]),
        reverse("articles:event", args=[corpus.event.slug]),
    ]


def _get(client, url: str, query: str) -> int:
    response = client.get(f"{url}?{query}")
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


def test_hostile_values_in_every_parameter_on_every_page(client, corpus):
    from urllib.parse import urlencode

    matrix = {
        reverse("articles:list"): PARAMETERS,
        reverse("articles:events"): ["kind", "person", "organization", "place", "date_after", "date_before", "page"],
        reverse("articles:suggest"): ["kind", "q"],
    }
    for url, names in matrix.items():
        for name in names:
            for value in HOSTILE_VALUES:
                status = _get(client, url, urlencode({name: value}))
                assert status in (200, 302, 400), (url, name, value, status)
    for url in _pages(corpus):  # every parameter at once, once per value
        for value in HOSTILE_VALUES:
            status = _get(client, url, urlencode(dict.fromkeys(PARAMETERS, value)))
            assert status in (200, 302, 400), (url, value, status)


def test_random_query_strings_on_every_page(client, corpus):
    rng = random.Random(20210309)  # fixed seed: a failure can be replayed
    alphabet = string.printable + "éßطالبان€\u200b"
    pages = _pages(corpus)
    for _ in range(300):
        parts = []
        for _ in range(rng.randint(1, 6)):
            name = rng.choice([*PARAMETERS, "".join(rng.choices(alphabet, k=rng.randint(0, 8)))])
            value = "".join(rng.choices(alphabet, k=rng.randint(0, 40)))
            raw = rng.random() < 0.3  # sometimes unencoded, as a careless client would send it
            parts.append(f"{name}={value}" if raw else f"{_quote(name)}={_quote(value)}")
        url = rng.choice(pages)
        query = "&".join(parts)
        assert _get(client, url, query) in (200, 302, 400), (url, query)


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


def test_repeated_and_malformed_pairs(client, corpus):
    for url in _pages(corpus):
        for query in ("person", "=", "&&&", "person=&person=", "q=%ZZ", "page=1&page=2", "cursor=&cursor=n.1",
                      "person=zalmay-khalilzad" + "&person=zalmay-khalilzad" * 50, "%FF%FE=%C0%AF"):
            assert _get(client, url, query) in (200, 302, 400), (url, query)
