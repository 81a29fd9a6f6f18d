"""The curated knowledge base of the peace process: people, organizations, places, topics, events.

Entry point: `load_knowledge_base()`.
"""

from .loader import DATA_DIR, KnowledgeBaseError, LoadReport, load_knowledge_base, read_knowledge_base

__all__ = ["DATA_DIR", "KnowledgeBaseError", "LoadReport", "load_knowledge_base", "read_knowledge_base"]
