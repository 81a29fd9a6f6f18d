"""The benchmarks' own PostgreSQL databases: recreated for a run, and only when their name says so."""

from __future__ import annotations

import sys
from urllib.parse import urlsplit


def postgres_database_recreate(url: str, *, suffixes: tuple[str, ...] = ("bench",)) -> None:
    """Drop and create the database of `url`; exit without touching it unless its name ends in a suffix."""
    name = urlsplit(url).path.lstrip("/")
    if not name.endswith(suffixes):
        allowed = " or ".join(repr(s) for s in suffixes)
        sys.exit(f"refusing to recreate {name!r}: the benchmark database's name must end in {allowed}")
    import psycopg2

    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
