"""Django admin for editors, one module per area; importing them registers the model admins."""

from . import articles, knowledge  # noqa: F401
