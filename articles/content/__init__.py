"""Content a new user can explore: the demo corpus in content/demo/, through the real pipeline.

Entry point: `demo_content_load(directory)`.
"""

from .demo import DEMO_DIR, DemoLoadReport, demo_content_load

__all__ = ["DEMO_DIR", "DemoLoadReport", "demo_content_load"]
