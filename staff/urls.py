"""Staff pages outside the Django admin, under /personal/: built for a phone.

They use the admin's login, lockout and organisation scoping.
"""

app_name = "personal"

urlpatterns: list = [
    # Each feature adds its pages here (quick log, staff home, recurring work).
]
