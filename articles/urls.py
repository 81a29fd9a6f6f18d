from django.urls import path

from articles.browse.views import articles, entities, events, home

app_name = "articles"

urlpatterns = [
    path("", home.home, name="home"),
    path("articles/", articles.article_list, name="list"),
    path("articles/feed/", articles.article_feed, name="feed"),
    path("articles/export.csv", articles.article_export_csv, name="export_csv"),
    path("articles/suggest/", articles.entity_suggest, name="suggest"),
    path("articles/<int:pk>/", articles.article_detail, name="detail"),
    path("articles/<int:pk>/versions/", articles.article_versions, name="versions"),
    path("people/<slug:slug>/", entities.entity_detail, {"kind": "person"}, name="person"),
    path("organizations/<slug:slug>/", entities.entity_detail, {"kind": "organization"}, name="organization"),
    path("places/<slug:slug>/", entities.entity_detail, {"kind": "place"}, name="place"),
    path("topics/<slug:slug>/", entities.entity_detail, {"kind": "topic"}, name="topic"),
    path("events/", events.event_list, name="events"),
    path("events/<slug:slug>/", events.event_detail, name="event"),
]
