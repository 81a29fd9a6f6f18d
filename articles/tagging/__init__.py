"""Tagging: links an article to the people, organizations, places and topics it mentions.

Entry point: `article_tag(article=...)`; `analyze(...)` is the same work without writing.
"""

from .services import RELEVANCE_THRESHOLD, TAGGER_VERSION, Analysis, analyze, article_tag

__all__ = ["RELEVANCE_THRESHOLD", "TAGGER_VERSION", "Analysis", "analyze", "article_tag"]
