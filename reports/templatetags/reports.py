"""Template tags for the report documents."""

from django import template
from django.contrib.staticfiles import finders
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def inline_static(path: str) -> str:
    """A static file's text, for the downloaded HTML and the PDF, which must stand alone.

    The report page on the site links the same file instead, so that the site
    needs no inline styles (its Content-Security-Policy allows none).
    """
    found = finders.find(path)
    if not found:
        raise template.TemplateSyntaxError(f"No static file {path!r}")
    with open(found, encoding="utf-8") as css:
        return mark_safe(css.read())  # noqa: S308 - our own stylesheet
