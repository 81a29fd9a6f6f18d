"""Text handling shared by ingestion, the models and the outputs: what may be stored and shown."""
