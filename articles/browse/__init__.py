"""Browsing: the reader's pages (home, article list and page, entity pages, timeline, feeds).

Views live in `views/`, thin: each calls the reads of articles.queries (one module per page,
named like the view's) and turns their data into links and HTML with the helpers here: facet
links (facets.py), chips and pickers, the linked article body (highlight.py), search highlights
(search.py), charts, query strings and version diffs.
"""
