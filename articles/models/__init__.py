"""Newsroom's models, one module per capability; import them from here."""

from .core import *  # noqa: F403
from .core import __all__ as _core_all

__all__ = [*_core_all]
