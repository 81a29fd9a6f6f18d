"""The JSON API under /api/: the pages' questions (same filters) with the export's field names.

Reads are public and throttled; writes (enqueue ingestion, decide a tag) are for staff. The
OpenAPI description is served at /api/schema/ and documented at /api/docs/.
"""
