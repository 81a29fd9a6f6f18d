"""Text handling shared by ingestion, tagging, the knowledge base loader, search and the outputs.

  hygiene.py    what may be stored and shown: invisible and private-use characters removed
  normalize.py  one form of a text for matching names and words, in every script we read
  lexicon.py    word lists: calendar words, titles and honorifics, words that are never names
"""
