"""The read layer: every read a page or the API makes, one module per thing read.

Reads return data (model instances, dataclasses, ids): nothing here builds a URL or HTML, which
the pages do in articles.browse and the API in articles.api. This package imports only the
models and articles.text, never browse/ or api/
(tests/test_layers.py holds that).

  filters.py    the FilterSets of the article list and the timeline (the pages' and the API's)
  keyset.py     the keyset core both the pages and the API page with; capped counts, offset pages
  articles.py   the article list (page, sample, count) and an article's page
  versions.py   an article's earlier texts and its copy claim
  facets.py     the list's facet counts over its sample
  entities.py   a person's, organization's, place's or topic's page
  events.py     the timeline and an event's page
  home.py       the home page
  suggest.py    the pickers' type-ahead
  search.py     full-text search as a filter (the query parsed by websearch.py)
  names.py      entities given by name, alias or acronym instead of slug
  mentions.py   the mentions rollup (MentionMonth) and an entity's months
"""
