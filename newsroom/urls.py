from django.contrib import admin
from django.urls import include, path

from articles.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/", include("articles.api.urls")),
    path("", include("articles.urls")),
]
