"""Staff pages outside the Django admin, under /personal/: built for a phone.

They use the admin's login, lockout and organisation scoping.
"""

from django.urls import path

from . import home, quicklog, recurring

app_name = "personal"

urlpatterns = [
    path("logga/", quicklog.quick_log, name="quick-log"),
    path("logga/vecka/", quicklog.week_log, name="week-log"),
    path("", home.home, name="home"),
    path("aterkommande/", recurring.recurring, name="recurring"),
    path("aktivitet/<int:pk>/genomford/", home.confirm_done, name="activity-done"),
    path("aktivitet/<int:pk>/installd/", home.cancel, name="activity-cancel"),
    path("aktivitet/<int:pk>/publicera/", home.publish, name="activity-publish"),
    path("veckobrev/", home.digest_choice, name="digest-choice"),
    path("veckobrev/avsluta/<str:token>/", home.unsubscribe, name="digest-unsubscribe"),
]
