"""WCAG 2.1 AA checks on every public page type, in Swedish and English, wide and narrow."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error
from playwright.sync_api import Page

from activities.models import Activity
from promises.models import Commitment
from tests.browser.conftest import (
    DESKTOP,
    HAS_FOCUS_RING_JS,
    LANGUAGES,
    NARROW,
    axe_violations,
    unmarked_swedish_titles,
)

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": DESKTOP, "320px": NARROW}


def _pages(site, lang: str) -> dict[str, str]:
    urls = site.page_urls(lang)
    # A filter in the address shows the filtered state: the count, the chosen
    # options and the list of what was left.
    urls["activities-filtered"] = site.url(
        "activity-list",
        lang,
        query="typ=fotpatrullering&ar=2025&q=Mölndal",
        **site.promise_kwargs(),
    )
    # Values that do not exist: the page says which filters it skipped.
    urls["activities-invalid"] = site.url(
        "activity-list", lang, query="ar=1999&typ=finns-inte&sida=x", **site.promise_kwargs()
    )
    urls["start-search"] = site.url("home", lang, query="q=M%C3%B6lndal")
    return urls


def _open(page: Page, name: str, url: str) -> None:
    response = page.goto(url)
    expected = 404 if name == "404" else 200
    assert response is not None and response.status == expected, f"{name}: {url}"


@pytest.mark.parametrize("width", WIDTHS.keys())
@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_finds_no_violations(site, new_page, lang, width):
    page = new_page(viewport=WIDTHS[width])
    report = []
    for name, url in _pages(site, lang).items():
        _open(page, name, url)
        violations = axe_violations(page)
        if violations:
            report.append(f"{name} {url}\n{violations}")
    assert not report, "axe-core found violations:\n" + "\n".join(report)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pages_reflow_at_320_px_without_horizontal_scrolling(site, new_page, lang):
    page = new_page(viewport=NARROW)
    too_wide = {}
    for name, url in _pages(site, lang).items():
        _open(page, name, url)
        # What a reader can open, such as an indicator's table of values, is measured open.
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > NARROW["width"]:
            # Name the elements that stick out, so the culprit is easy to find.
            culprits = page.evaluate(
                """limit => [...document.querySelectorAll('body *')]
                    .filter(el => el.getBoundingClientRect().right > limit + 0.5
                                  || el.scrollWidth > el.clientWidth + 1)
                    .slice(-5)
                    .map(el => el.tagName.toLowerCase()
                               + (el.className ? '.' + el.className : '')
                               + ` right=${Math.round(el.getBoundingClientRect().right)}`
                               + ` scrollWidth=${el.scrollWidth}`)""",
                NARROW["width"],
            )
            too_wide[name] = (width, culprits)
    assert not too_wide, f"Pages wider than {NARROW['width']} px: {too_wide}"


def _skip_link_problem(page: Page) -> str | None:
    """The skip link is the first Tab stop, is visible when focused, and focuses <main>."""
    page.keyboard.press("Tab")
    skip = page.evaluate(
        """() => {
            const el = document.activeElement;
            const box = el.getBoundingClientRect();
            return {tag: el.tagName, href: el.getAttribute('href'),
                    visible: box.width > 1 && box.height > 1 && box.bottom > 0 && box.top >= 0};
        }"""
    )
    if skip["tag"] != "A" or skip["href"] != "#main" or not skip["visible"]:
        return f"first Tab stop is not a visible skip link: {skip}"
    page.keyboard.press("Enter")
    focused = page.evaluate("[document.activeElement.tagName, document.activeElement.id]")
    if focused != ["MAIN", "main"]:
        return f"skip link moved focus to {focused}, not <main id=main>"
    return None


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_has_lang_one_h1_and_a_skip_link_to_main(site, page, lang):
    """lang, one h1, no skipped heading level, one main, a language switch, a
    working skip link, hx-get with a plain-HTML fallback, a title of its own,
    and no cookies."""
    problems = []
    titles = {}
    for name, url in _pages(site, lang).items():
        _open(page, name, url)
        titles[name] = page.title().strip()
        if page.locator("html").get_attribute("lang") != lang:
            problems.append(f"{name}: <html lang> is not {lang!r}")
        h1_count = page.locator("h1").count()
        if h1_count != 1:
            problems.append(f"{name}: {h1_count} h1 elements")
        levels = page.eval_on_selector_all(
            "h1, h2, h3, h4, h5, h6", "hs => hs.map(h => Number(h.tagName[1]))"
        )
        skipped = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
        if skipped or (levels and levels[0] > 2):
            problems.append(f"{name}: heading levels skip: {levels}")
        if page.locator("main").count() != 1:
            problems.append(f"{name}: not exactly one <main>")
        other = "en" if lang == "sv" else "sv"
        if page.locator(f"a[hreflang='{other}']").count() == 0:
            problems.append(f"{name}: no link to the {other} version")
        # Whatever htmx enhances also works as plain HTML.
        no_fallback = page.eval_on_selector_all(
            "[data-hx-get]",
            """els => els.filter(el => el.getAttribute('data-hx-get') !== (
                    el.tagName === 'FORM' ? el.getAttribute('action') : el.getAttribute('href')))
                .map(el => el.outerHTML.slice(0, 100))""",
        )
        if no_fallback:
            problems.append(f"{name}: data-hx-get without the same href or action: {no_fallback}")
        problem = _skip_link_problem(page)
        if problem:
            problems.append(f"{name}: {problem}")
    cookies = page.context.cookies()
    if cookies:
        problems.append(f"public pages set cookies: {[c['name'] for c in cookies]}")
    # Each page type has a title of its own (WCAG 2.4.2).
    by_title = {}
    for name in site.page_urls(lang):
        by_title.setdefault(titles[name], []).append(name)
    problems += [f"pages share the title {t!r}: {n}" for t, n in by_title.items() if len(n) > 1]
    problems += [f"{name}: empty <title>" for name, title in titles.items() if not title]
    assert not problems, "\n".join(problems)


# WCAG 1.4.12: the spacing a reader may set with a user style sheet.
TEXT_SPACING_CSS = """
* { line-height: 1.5 !important; letter-spacing: .12em !important;
    word-spacing: .16em !important; }
p { margin-bottom: 2em !important; }
"""


def test_text_spacing_loses_no_content(site, new_page):
    # The reader's own style sheet (WCAG 1.4.12), which a browser applies whatever
    # the site's Content-Security-Policy says; Playwright injects it as page CSS.
    page = new_page(bypass_csp=True)
    problems = []
    for name, url in _pages(site, "sv").items():
        _open(page, name, url)
        page.add_style_tag(content=TEXT_SPACING_CSS)
        clipped = page.evaluate(
            """() => [...document.querySelectorAll('body *')].filter(el => {
                    const style = getComputedStyle(el);
                    if (el.clientWidth <= 1 || el.clientHeight <= 1) return false;
                    const hides = /hidden|clip/.test(style.overflowX + style.overflowY);
                    return hides && (el.scrollWidth > el.clientWidth + 1
                                     || el.scrollHeight > el.clientHeight + 1);
                }).map(el => el.tagName.toLowerCase() + '.' + el.className)"""
        )
        if clipped:
            problems.append(f"{name}: text spacing clips {clipped[:5]}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > DESKTOP["width"]:
            problems.append(f"{name}: text spacing makes the page {width} px wide")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS.keys())
def test_every_focus_stop_is_visible_and_on_screen(site, new_page, width):
    """Tab through each page: every stop shows a focus indicator and is scrolled into view."""
    page = new_page(viewport=WIDTHS[width])
    problems = []
    for name, url in _pages(site, "sv").items():
        _open(page, name, url)
        seen = 0
        # The start page links every one of the 290 municipalities, some twice.
        for _ in range(800):
            page.keyboard.press("Tab")
            stop = page.evaluate(
                """() => {
                    const el = document.activeElement;
                    const box = el.getBoundingClientRect();
                    return {
                        body: el === document.body,
                        what: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                              + ' ' + (el.textContent || el.value || '').trim().slice(0, 40),
                        onScreen: box.width > 0 && box.height > 0 && box.bottom > 0
                                  && box.right > 0 && box.top < innerHeight && box.left < innerWidth,
                    };
                }"""
            )
            if stop["body"]:
                break  # past the last stop
            seen += 1
            if not page.evaluate(HAS_FOCUS_RING_JS):
                problems.append(f"{name}: no focus indicator on {stop['what']}")
            if not stop["onScreen"]:
                problems.append(f"{name}: focused but off screen: {stop['what']}")
        else:
            problems.append(f"{name}: Tab never leaves the page (keyboard trap?)")
        if seen < 3:
            problems.append(f"{name}: only {seen} focus stops")
    assert not problems, "\n".join(problems)


def test_english_pages_are_translated_and_mark_swedish_content(site, page):
    """English pages speak English, and mark the Swedish content (lang="sv") they show."""
    # The demo has no English versions of the promise texts, so every title
    # from the database is Swedish on the English pages too.
    swedish_titles = sorted(
        {site.promise.title, site.archived_promise.title}
        | set(Commitment.objects.values_list("title", flat=True))
        | set(Activity.objects.values_list("title", flat=True))
    )
    problems = []
    swedish_ui = {}
    for name, url in _pages(site, "sv").items():
        _open(page, name, url)
        swedish_ui[name] = page.evaluate(_UI_TEXTS)
    for name, url in _pages(site, "en").items():
        _open(page, name, url)
        english_ui = page.evaluate(_UI_TEXTS)
        same = {k: text for k, text in english_ui.items() if text and text == swedish_ui[name][k]}
        if same:
            problems.append(f"{name}: not translated in English: {same}")
        unmarked = unmarked_swedish_titles(page, swedish_titles)
        if unmarked:
            problems.append(f"{name}: Swedish titles without lang=sv: {unmarked[:5]}")
    assert not problems, "\n".join(problems)


# Texts from the translation catalogue that every page shows.
_UI_TEXTS = """() => ({
    skip: document.querySelector('a[href="#main"]')?.textContent.trim(),
    footer: [...document.querySelectorAll('footer a')].map(a => a.textContent.trim()).join(' | '),
})"""


@pytest.mark.parametrize("width", WIDTHS.keys())
def test_server_error_page_is_accessible(live_server, new_page, width):
    """The 500 page, as Django's handler renders it, served through the live server's host."""
    response = server_error(RequestFactory().get("/"))
    url = f"{live_server.url}/fel-500/"
    page = new_page(viewport=WIDTHS[width])
    page.route(
        url,
        lambda route: route.fulfill(
            status=500, body=response.content, content_type=response["Content-Type"]
        ),
    )
    assert page.goto(url).status == 500
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("h1").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"]
    violations = axe_violations(page)
    assert not violations, f"axe-core found violations on the 500 page:\n{violations}"
    problem = _skip_link_problem(page)
    assert problem is None, problem
