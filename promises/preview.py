"""Staff previews: a draft rendered with the public template, as residents would see it."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext as _

_BODY_OPEN = re.compile(r"<body[^>]*>", re.IGNORECASE)


def render_preview(
    request: HttpRequest, template: str, context: dict, *, back_url: str, is_public: bool
) -> HttpResponse:
    """Render a public template and mark it as a preview, without changing its markup.

    The banner goes straight after ``<body>``, so that the page below it is
    exactly what the public page renders from the same template.
    """
    html = render_to_string(template, context, request=request)
    if is_public:
        state = _("Det här är publicerat och syns för alla.")
    else:
        state = _("Det här är inte publicerat och syns inte för allmänheten.")
    banner = format_html(
        '<div role="status" style="background:#fff4ce;color:#1b1b1b;'
        "border-bottom:4px solid #8a6100;padding:.75rem 1rem;font:bold 1rem/1.4 "
        'system-ui,sans-serif">{} {} <a href="{}" style="color:#00457a">{}</a></div>',
        _("Förhandsgranskning för personal."),
        state,
        back_url,
        _("Tillbaka till administrationen"),
    )
    html, found = _BODY_OPEN.subn(lambda m: m.group(0) + banner, html, count=1)
    if not found:
        html = banner + html
    response = HttpResponse(html)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
