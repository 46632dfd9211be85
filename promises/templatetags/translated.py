"""The Swedish texts and their optional English versions, in templates of every app.

On an English page a field shows its English version when there is one, and
otherwise the Swedish text marked ``lang="sv"``, so that a screen reader reads
it as Swedish (WCAG 3.1.2).
"""

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()


def ui_language() -> str:
    """The page's language: "sv" or "en"."""
    return (get_language() or settings.LANGUAGE_CODE)[:2]


@register.filter
def tr(obj, field: str) -> str:
    """``obj.tr(field)``: the English version on English pages when there is one."""
    return obj.tr(field)


@register.filter
def lang_attr(obj, field: str) -> str:
    """A ``lang`` attribute when the field's text is not in the page's language."""
    lang = obj.tr_lang(field)
    return mark_safe(f' lang="{lang}"') if lang != ui_language() else ""


@register.filter
def tr_html(obj, field: str) -> str:
    """``obj.tr(field)``, escaped, in a ``<span lang="…">`` when not in the page's language.

    For a fragment inside a translated sentence ("242 of at least 300
    fotpatrulleringar"), where the surrounding element cannot carry the lang.
    """
    lang = obj.tr_lang(field)
    text = obj.tr(field)
    if lang != ui_language():
        return format_html('<span lang="{}">{}</span>', lang, text)
    return format_html("{}", text)


@register.simple_tag
def sv_attr() -> str:
    """``lang="sv"`` on English pages, for content that only exists in Swedish."""
    return mark_safe(' lang="sv"') if ui_language() != "sv" else ""
