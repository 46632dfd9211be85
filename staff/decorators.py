"""Who may use the staff pages under /personal/."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django_htmx.http import HttpResponseClientRedirect


def staff_who_log(view: Callable) -> Callable:
    """Staff who may add activities: anyone else logs in first, or is refused."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.has_perm("activities.add_activity"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    # The admin's own login page, with its lockout (django-axes) and ?next=.
    login_required = staff_member_required(wrapper, login_url="admin:login")

    @wraps(view)
    def outer(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if request.htmx and not (user.is_active and user.is_staff):
            # A session that ran out: the whole page goes to the login, not into a fragment.
            query = urlencode({"next": request.path}, safe="/")
            return HttpResponseClientRedirect(f"{reverse('admin:login')}?{query}")
        return login_required(request, *args, **kwargs)

    return never_cache(outer)
