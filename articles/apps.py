from django.apps import AppConfig
from django.db.backends.signals import connection_created


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """SQLite's full-text triggers call the Python normal form (migration 0012)."""
    if connection.vendor == "sqlite":
        from articles.text.normalize import search_form

        connection.connection.create_function(
            "newsroom_search_form", 1, lambda text: None if text is None else search_form(text), deterministic=True)


class ArticlesConfig(AppConfig):
    name = "articles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        connection_created.connect(register_sqlite_functions, dispatch_uid="articles_sqlite_functions")
