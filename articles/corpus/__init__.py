"""A realistic synthetic corpus for measuring Newsroom at scale (`manage.py generate_corpus`)."""

from .generator import CorpusError, article_compose, corpus_plan
from .services import CorpusReport, corpus_generate

__all__ = ["CorpusError", "CorpusReport", "article_compose", "corpus_generate", "corpus_plan"]
