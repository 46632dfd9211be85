from django.urls import path

from . import feeds, preview, views
from .caching import public_page

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("om-webbplatsen/", views.about, name="about"),
    path("tillganglighetsredogorelse/", views.accessibility, name="accessibility"),
    path("forkortningar/", views.abbreviations, name="abbreviations"),
    # Staff only: drafts as residents will see them.
    path(
        "forhandsgranska/medborgarlofte/<int:pk>/", preview.promise_preview, name="promise-preview"
    ),
    path(
        "forhandsgranska/uppfoljning/<int:pk>/",
        preview.follow_up_preview,
        name="follow-up-preview",
    ),
    path("forhandsgranska/aktivitet/<int:pk>/", preview.activity_preview, name="activity-preview"),
    path("<slug:municipality>/", views.municipality_detail, name="municipality-detail"),
    # Feeds: a slug cannot contain a dot, so these never clash with a page's address.
    path(
        "<slug:municipality>/flode.atom",
        public_page(reads_query=False)(feeds.MunicipalityActivityFeed()),
        name="municipality-feed",
    ),
    path(
        "<slug:municipality>/uppfoljningar.atom",
        public_page(reads_query=False)(feeds.MunicipalityFollowUpFeed()),
        name="municipality-follow-up-feed",
    ),
    path(
        "<slug:municipality>/kalender.ics",
        public_page(reads_query=False)(feeds.municipality_calendar),
        name="municipality-calendar",
    ),
    path(
        "<slug:municipality>/<slug:promise>/flode.atom",
        public_page(reads_query=False)(feeds.PromiseActivityFeed()),
        name="promise-feed",
    ),
    path(
        "<slug:municipality>/<slug:promise>/uppfoljningar.atom",
        public_page(reads_query=False)(feeds.PromiseFollowUpFeed()),
        name="promise-follow-up-feed",
    ),
    path(
        "<slug:municipality>/<slug:promise>/kalender.ics",
        public_page(reads_query=False)(feeds.promise_calendar),
        name="promise-calendar",
    ),
    path(
        "<slug:municipality>/<slug:promise>/atagande/<slug:commitment>/flode.atom",
        public_page(reads_query=False)(feeds.CommitmentActivityFeed()),
        name="commitment-feed",
    ),
    path("<slug:municipality>/<slug:promise>/", views.promise_detail, name="promise-detail"),
    path(
        "<slug:municipality>/<slug:promise>/atagande/<slug:commitment>/",
        views.commitment_detail,
        name="commitment-detail",
    ),
    path(
        "<slug:municipality>/<slug:promise>/aktiviteter/",
        views.activity_list,
        name="activity-list",
    ),
    path(
        "<slug:municipality>/<slug:promise>/aktiviteter/<int:pk>/",
        views.activity_detail,
        name="activity-detail",
    ),
    path(
        "<slug:municipality>/<slug:promise>/uppfoljning/<int:pk>/",
        views.follow_up_detail,
        name="follow-up-detail",
    ),
    path(
        "<slug:municipality>/<slug:promise>/uppfoljning/<int:pk>/rapport.<str:fmt>",
        views.follow_up_report,
        name="follow-up-report",
    ),
]
