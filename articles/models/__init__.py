"""Newsroom's models, one module per capability; import them from here."""

from .browse import *  # noqa: F403
from .browse import __all__ as _browse_all
from .core import *  # noqa: F403
from .core import __all__ as _core_all
from .history import *  # noqa: F403
from .history import __all__ as _history_all
from .ingest import *  # noqa: F403
from .ingest import __all__ as _ingest_all
from .kinds import *  # noqa: F403
from .kinds import __all__ as _kinds_all
from .tagging import *  # noqa: F403
from .tagging import __all__ as _tagging_all

__all__ = [*_browse_all, *_core_all, *_history_all, *_ingest_all, *_kinds_all, *_tagging_all]
