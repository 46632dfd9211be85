"""Staff pages outside the Django admin, under /personal/: built for a phone.

They use the admin's login, lockout and organisation scoping.
"""

from django.urls import path

from . import quicklog

app_name = "personal"

urlpatterns: list = [
    # Each feature adds its pages here (quick log, staff home, recurring work).
    path("logga/", quicklog.quick_log, name="quick-log"),
    path("logga/vecka/", quicklog.week_log, name="week-log"),
]
