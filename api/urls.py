"""The open-data page, among the language-prefixed public pages (/oppna-data/, /en/oppna-data/).

The API itself is mounted at /api/v1/ in medborgarlofte/urls.py, outside the
language prefixes: its addresses are the same whatever the reader's language.
"""

from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("oppna-data/", views.open_data, name="open-data"),
]
