"""Template helpers for the public pages."""

from pathlib import PurePath

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()

# Each language's own name for itself, shown in the switch in that language.
_NATIVE_NAMES = {"sv": "Svenska", "en": "English"}


@register.simple_tag(takes_context=True)
def other_languages(context) -> list[dict]:
    """Links to this page in the other languages: plain links, so no cookie is set."""
    request = context.get("request")
    current = (get_language() or settings.LANGUAGE_CODE)[:2]
    path = request.get_full_path() if request else "/"
    links = []
    for code, _name in settings.LANGUAGES:
        if code == current:
            continue
        url = translate_url(path, code)
        if url == path:
            # Not a page the URL resolver knows (e.g. a 404): the other language's start page.
            url = "/" if code == settings.LANGUAGE_CODE else f"/{code}/"
        links.append({"code": code, "name": _NATIVE_NAMES.get(code, code), "url": url})
    return links


@register.simple_tag
def page_url(query: str, number: int) -> str:
    """The query string of a listing with its page number replaced."""
    return f"?{query}&sida={number}" if query else f"?sida={number}"


def _ui_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


@register.filter
def tr(obj, field: str) -> str:
    """``obj.tr(field)``: the English version on English pages when there is one."""
    return obj.tr(field)


@register.filter
def lang_attr(obj, field: str) -> str:
    """A ``lang`` attribute when the field's text is not in the page's language."""
    lang = obj.tr_lang(field)
    return mark_safe(f' lang="{lang}"') if lang != _ui_language() else ""


@register.filter
def tr_html(obj, field: str) -> str:
    """``obj.tr(field)``, escaped, in a ``<span lang="…">`` when not in the page's language.

    For a fragment inside a translated sentence ("242 of at least 300
    fotpatrulleringar"), where the surrounding element cannot carry the lang.
    """
    lang = obj.tr_lang(field)
    text = obj.tr(field)
    if lang != _ui_language():
        return format_html('<span lang="{}">{}</span>', lang, text)
    return format_html("{}", text)


@register.simple_tag
def sv_attr() -> str:
    """``lang="sv"`` on English pages, for content that only exists in Swedish."""
    return mark_safe(' lang="sv"') if _ui_language() != "sv" else ""


@register.filter
def file_facts(fieldfile) -> str:
    """A link's file type and size, e.g. "PDF, 245 kB"; the type alone if the size is unknown."""
    kind = PurePath(fieldfile.name).suffix.lstrip(".").upper() or _("fil")
    try:
        size = fieldfile.size
    except (OSError, ValueError):
        return kind
    if size < 1000:
        amount = _("%(n)s byte") % {"n": number_format(size)}
    elif size < 1000 * 1000:
        amount = _("%(n)s kB") % {"n": number_format(round(size / 1000))}
    else:
        amount = _("%(n)s MB") % {"n": number_format(size / 1000 / 1000, 1)}
    return f"{kind}, {amount}"
