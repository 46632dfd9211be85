"""Template tags for the report documents."""

from django import template
from django.contrib.staticfiles import finders
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from activities.progress import lower_first
from promises.templatetags.translated import tr_html, ui_language

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


@register.filter
def unit_html(progress, explain=conditional_escape) -> str:
    """What a progress figure counts, as HTML with its language marked.

    The commitment's unit, or the measure with the counted type ("tillfällen
    fotpatrullering"), where only the type's name may be in another language
    than the page. ``explain`` makes HTML of a text: the public pages' explains
    the known abbreviations (``figure_unit``).
    """
    commitment = progress.commitment
    if commitment.target_unit:
        return explain(tr_html(commitment, "target_unit"))
    pattern = progress.unit_pattern
    kind = progress.activity_type
    if kind is None:
        return explain(pattern)
    name = explain(lower_first(kind.tr("name")))
    if kind.tr_lang("name") != ui_language():
        name = format_html('<span lang="{}">{}</span>', kind.tr_lang("name"), name)
    return mark_safe(conditional_escape(pattern) % {"type": name})
