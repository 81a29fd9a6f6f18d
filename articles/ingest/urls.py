"""URL normalisation: one spelling per page, so that the same story fetched twice is one row."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import courlan

WEB_SCHEMES = ("http", "https")


class UnsupportedURL(ValueError):
    """Not an http(s) URL with a host."""


def is_web_url(value: str) -> bool:
    parts = urlsplit(value.strip())
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)


def normalize_url(url: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking parameters, no trailing slash.

    courlan (trafilatura's URL library) drops the trackers (utm_*, fbclid, gclid...) and sorts what
    is left; the fragment goes too, since it never names a different article.
    """
    url = url.strip()
    if not is_web_url(url):
        raise UnsupportedURL(f"not an http(s) URL: {url[:200]!r}")
    normalized = courlan.normalize_url(url, strict=False, trailing_slash=False)
    scheme, netloc, path, query, _fragment = urlsplit(normalized)
    path = remove_dot_segments(path)
    if len(path) > 1:
        path = path.rstrip("/")
    return urlunsplit((scheme, netloc.rstrip("."), path or "/", query, ""))


def remove_dot_segments(path: str) -> str:
    """'/a/./b/../c' is '/a/c' (RFC 3986, section 5.2.4)."""
    segments: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if len(segments) > 1:
                segments.pop()
        elif segment != ".":
            segments.append(segment)
    return "/".join(segments)


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()
