"""Browsing: the reader's pages (home, article list and page, entity pages, timeline, feeds).

Views live in `views/`, thin; the reads they call are in `articles.selectors`, the list's
filters in `articles.filters`; helpers for search, pagination and charts sit beside them here.
"""
