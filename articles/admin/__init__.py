"""Django admin for editors, one module per area; importing them registers the model admins."""

from django.contrib import admin

from . import articles, knowledge  # noqa: F401

admin.site.site_header = "Newsroom editors"
admin.site.site_title = "Newsroom admin"
admin.site.index_title = "Curate the news and the knowledge base"
