"""Template helpers for the public pages."""

import re
import threading
from functools import lru_cache
from pathlib import PurePath

from django import template
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.urls import translate_url
from django.utils.formats import number_format
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from promises.models import Abbreviation
from promises.templatetags.translated import lang_attr, sv_attr, tr, tr_html, ui_language
from reports.templatetags.reports import unit_html

from ..caching import SITE, versions

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


# The texts' English versions: one implementation, also loaded by the reports' templates.
for _name, _filter in (("tr", tr), ("lang_attr", lang_attr), ("tr_html", tr_html)):
    register.filter(_name, _filter)
register.simple_tag(sv_attr)


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


# A day at most; any change to the glossary moves the site's version at once.
ABBREVIATIONS_TIMEOUT = 24 * 60 * 60


# The glossary as read by the current request: a page calls `abbreviate` for
# every title and type it shows (dozens of times on a promise page), and each
# reading costs two round trips to the cache. Read once per request instead;
# outside a request (commands, the shell) it is read every time.
_request = threading.local()


def _request_started(**kwargs) -> None:
    _request.__dict__.clear()
    _request.active = True


def _request_finished(**kwargs) -> None:
    _request.__dict__.clear()


request_started.connect(_request_started, dispatch_uid="ml-abbreviations-request-started")
request_finished.connect(_request_finished, dispatch_uid="ml-abbreviations-request-finished")


def known_abbreviations() -> tuple[tuple[str, str, str], ...]:
    """(term, expansion, expansion in English) of every abbreviation, longest term first.

    Kept in the cache under the site's page version, so the glossary costs one
    query per change, not one per page; read from the cache once per request.
    """
    found = _request.__dict__.get("abbreviations")
    if found is not None:
        return found
    key = f"abbreviations:{versions([SITE])[0]}"
    found = cache.get(key)
    if found is None:
        found = tuple(
            Abbreviation.objects.longest_first().values_list("term", "expansion", "expansion_en")
        )
        cache.set(key, found, ABBREVIATIONS_TIMEOUT)
    if _request.__dict__.get("active"):
        _request.abbreviations = found
    return found


@lru_cache(maxsize=8)
def _term_pattern(terms: tuple[str, ...]) -> re.Pattern:
    # A whole word: "SSPF" in "SSPF-möte" and "(SSPF)", not in "SSPFX".
    alternatives = "|".join(re.escape(term) for term in terms)
    return re.compile(rf"(?<!\w)({alternatives})(?!\w)")


# What is not text in a string that is already HTML: tags, and entities such as &amp;.
_MARKUP = re.compile(r"(<[^>]*>|&[#\w]+;)")


@register.filter(is_safe=True)
def abbreviate(text) -> str:
    """The text, escaped, with the first occurrence of each known abbreviation in an ``<abbr>``.

    The ``title`` is the expansion in the page's language (Swedish when no
    English is given). Text already marked safe (e.g. from ``tr_html``) is
    HTML: only its text between the tags is looked at.
    """
    if text is None or text == "":
        return ""
    known = known_abbreviations()
    if not known:
        return conditional_escape(text)
    # A page shows the same few type names and titles many times (a hundred
    # activities of three types): each is marked up once per glossary and language.
    return mark_safe(
        _abbreviated(str(text), isinstance(text, SafeData), ui_language() == "en", known)
    )


@lru_cache(maxsize=2048)
def _abbreviated(text: str, is_html: bool, english: bool, known) -> str:
    html = str(conditional_escape(mark_safe(text) if is_html else text))
    expansions = _expansions(known, english)
    pattern = _term_pattern(tuple(term for term, _sv, _en in known))
    seen: set[str] = set()

    def wrap(match: re.Match) -> str:
        term = match.group(1)
        if term in seen:
            return term
        seen.add(term)
        return format_html('<abbr title="{}">{}</abbr>', expansions[term], term)

    # Terms are matched in the escaped text: none contains & < > " or ', so
    # escaping does not change them, and what is put in is escaped again.
    parts = _MARKUP.split(html)
    inside_abbr = False  # text already explained is left as it is (no <abbr> in an <abbr>)
    for n, part in enumerate(parts):
        if n % 2:
            if part.startswith(("<abbr", "</abbr")):
                inside_abbr = part.startswith("<abbr")
        elif not inside_abbr:
            parts[n] = pattern.sub(wrap, part)
    return "".join(parts)


@lru_cache(maxsize=8)
def _expansions(known, english: bool) -> dict[str, str]:
    return {term: (en if english and en else sv) for term, sv, en in known}


@register.filter
def tr_abbr(obj, field: str) -> str:
    """``tr_html`` with the known abbreviations explained (``abbreviate``)."""
    return abbreviate(tr_html(obj, field))


@register.filter
def figure_unit(progress) -> str:
    """What a progress figure counts, as HTML: its language marked, abbreviations explained."""
    return unit_html(progress, abbreviate)


# Shown on English pages only; written, like every text, in Swedish for the catalogue.
SWEDISH_ORIGINAL = gettext_noop(
    "Medborgarlöftena publiceras på svenska. Där det inte finns någon engelsk översättning "
    "visas texten på svenska."
)


@register.simple_tag
def published_in_swedish() -> str:
    """On English pages, a notice that the promises are published in Swedish.

    Marked ``lang="sv"`` as long as the catalogue has no English for it.
    """
    if ui_language() == "sv":
        return ""
    text = _(SWEDISH_ORIGINAL)
    lang = mark_safe(' lang="sv"') if text == SWEDISH_ORIGINAL else ""
    return format_html('<p class="ml-notice ml-notice--language"{}>{}</p>', lang, text)


@register.simple_tag
def month_bars(progress):
    """The chart's bars: one <rect> per month with work (rendered in Python; a page has ~200)."""
    return format_html_join(
        "",
        '<rect class="ml-chart__bar" x="{}" y="{}" width="10" height="{}"/>',
        ((bar.x, bar.y, bar.height) for bar in progress.months if bar.value),
    )


@register.simple_tag
def month_rows(progress):
    """The chart's table: a row per month, its label and its figure."""
    return format_html_join(
        "",
        '<tr><th scope="row">{}</th><td class="ml-table__num">{}</td></tr>',
        ((bar.label, intcomma(bar.value)) for bar in progress.months),
    )
