from django.apps import AppConfig


class ApiConfig(AppConfig):
    """Installed as an app only so that its templates and static files (the docs page) are found."""

    name = "articles.api"
    label = "articles_api"
    verbose_name = "API"
