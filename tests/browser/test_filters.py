"""The activities filter: by keyboard, without JavaScript, and in place with htmx."""

import re
import time
from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from activities.models import Activity
from tests.browser.conftest import HAS_FOCUS_RING_JS, axe_violations, unmarked_swedish_titles

pytestmark = pytest.mark.browser

PER_PAGE = 20
ACTIVITY_LINK = re.compile(r"/aktiviteter/(\d+)/$")
# The filter every test applies: one activity type plus a word from its titles,
# so the expected rows come from a plain query, independent of the search code.
TYPE_SLUG, TYPE_LABEL, WORD = "fysisk-atgard", "Fysisk åtgärd", "belysning"
# What the htmx test reads on the page, per language.
UI = {
    "sv": {"text": "Fritext", "type": TYPE_LABEL, "more": "Visa fler", "found": "hittades"},
    "en": {"text": "Free text", "type": "Physical measure", "more": "Show more", "found": "found"},
}


# With historyCacheSize 0, htmx keeps only the current address for the back button.
HTMX_STORAGE = {"session:htmx-current-path-for-history"}


def _stored_keys(page: Page) -> list[str]:
    """Every key in the page's sessionStorage and localStorage."""
    return page.evaluate(
        "[...Object.keys(sessionStorage).map(k => 'session:' + k),"
        " ...Object.keys(localStorage).map(k => 'local:' + k)]"
    )


def _expected(site, *, filtered: bool) -> list[int]:
    activities = Activity.objects.public().filter(commitment__promise=site.promise)
    if filtered:
        activities = activities.filter(type__slug=TYPE_SLUG, title__icontains=WORD)
    return list(activities.order_by("-date", "-pk").values_list("pk", flat=True))


def _activities_url(site, query: str = "", lang: str = "sv") -> str:
    return site.url("activity-list", lang, query=query, **site.promise_kwargs())


def _shown(page: Page) -> list[int]:
    """The activities listed in the main content, in order, by their detail links."""
    hrefs = page.eval_on_selector_all("main a[href]", "links => links.map(a => a.pathname)")
    shown = []
    for href in hrefs:
        match = ACTIVITY_LINK.search(href)
        if match and int(match[1]) not in shown:
            shown.append(int(match[1]))
    return shown


def _wait_until(
    check: Callable[[], bool], what: str, timeout: float = 10, state: Callable | None = None
) -> None:
    """Poll until check() holds; on timeout, say what was awaited and, if given, the state."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(
                f"timed out waiting until {what}" + (f"; now: {state()}" if state else "")
            )
        time.sleep(0.1)


def _announced(page: Page) -> str:
    return " ".join(
        page.locator(
            "[aria-live='polite'], [aria-live='assertive'], [role='status']"
        ).all_inner_texts()
    )


def _announces_count(page: Page, count: int) -> bool:
    return re.search(rf"(?<!\d){count}(?!\d)", _announced(page)) is not None


def _focus_is_visible(page: Page) -> bool:
    return page.evaluate(HAS_FOCUS_RING_JS)


def _tab_to(page: Page, locator, limit: int = 120) -> None:
    """Press Tab until the locator's element has focus; check the focus is visible."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            assert _focus_is_visible(page), f"no visible focus on {locator}"
            return
    raise AssertionError(f"{locator} is not reachable with Tab")


def test_filter_form_works_by_keyboard_alone(site, page):
    page.goto(_activities_url(site))
    everything = _expected(site, filtered=False)
    expected = _expected(site, filtered=True)
    assert 0 < len(expected) < len(everything)
    assert _shown(page) == everything[:PER_PAGE]

    _tab_to(page, page.get_by_label("Fritext"))
    page.keyboard.type(WORD)
    checkbox = page.get_by_role("checkbox", name=TYPE_LABEL, exact=True)
    _tab_to(page, checkbox)
    page.keyboard.press("Space")
    assert checkbox.is_checked()
    _tab_to(page, page.locator("form:has([name='q']) [type='submit']").first)
    page.keyboard.press("Enter")

    _wait_until(
        lambda: _shown(page) == expected[:PER_PAGE],
        "the filtered activities are listed",
        state=lambda: _shown(page),
    )
    _wait_until(
        lambda: _announces_count(page, len(expected)),
        f"the live region announces {len(expected)}",
    )
    assert f"typ={TYPE_SLUG}" in page.url and f"q={WORD}" in page.url


def test_filter_and_pagination_work_without_javascript(site, new_page):
    page = new_page(javascript=False)
    page.goto(_activities_url(site))
    everything = _expected(site, filtered=False)
    assert len(everything) > 2 * PER_PAGE
    assert _shown(page) == everything[:PER_PAGE]

    # Pagination is plain links.
    page.locator("main a[rel='next']").first.click()
    page.wait_for_url(re.compile(r"[?&]sida=2\b"))
    assert _shown(page) == everything[PER_PAGE : 2 * PER_PAGE]
    assert page.locator("main [aria-current='page']").first.inner_text().strip() == "2"
    page.locator("main a[rel='prev']").first.click()
    page.wait_for_url(lambda url: "sida=2" not in url)
    assert _shown(page) == everything[:PER_PAGE]

    # The filter is a plain GET form.
    page.get_by_label("Fritext").fill(WORD)
    page.get_by_role("checkbox", name=TYPE_LABEL, exact=True).check()
    with page.expect_navigation():
        page.get_by_label("Fritext").press("Enter")
    assert f"typ={TYPE_SLUG}" in page.url and f"q={WORD}" in page.url
    expected = _expected(site, filtered=True)
    assert _shown(page) == expected[:PER_PAGE]
    assert _announces_count(page, len(expected)), _announced(page)

    # The next page of a filtered list keeps the filter.
    patrols = list(
        Activity.objects.public()
        .filter(commitment__promise=site.promise, type__slug="fotpatrullering")
        .order_by("-date", "-pk")
        .values_list("pk", flat=True)
    )
    assert len(patrols) > PER_PAGE
    page.goto(_activities_url(site, "typ=fotpatrullering"))
    page.locator("main a[rel='next']").first.click()
    page.wait_for_url(re.compile(r"[?&]sida=2\b"))
    assert "typ=fotpatrullering" in page.url
    assert _shown(page) == patrols[PER_PAGE : 2 * PER_PAGE]

    # Without JavaScript, “Visa fler” is a link to the next page.
    page.goto(_activities_url(site))
    page.get_by_role("link", name="Visa fler").click()
    page.wait_for_url(re.compile(r"[?&]sida=2\b"))
    assert _shown(page) == everything[PER_PAGE : 2 * PER_PAGE]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_htmx_filters_in_place_with_history_and_more_results(site, page, lang):
    ui = UI[lang]
    page.goto(_activities_url(site, lang=lang))
    everything = _expected(site, filtered=False)
    expected = _expected(site, filtered=True)
    start_url = page.url
    # A full page load would lose this marker; an htmx swap keeps it.
    page.evaluate("window.__sameDocument = true")

    def same_document() -> bool:
        return page.evaluate("window.__sameDocument === true")

    page.get_by_label(ui["text"]).fill(WORD)
    page.get_by_role("checkbox", name=ui["type"], exact=True).check()
    page.get_by_label(ui["text"]).press("Enter")
    _wait_until(
        lambda: _shown(page) == expected[:PER_PAGE],
        "the filtered activities are listed",
        state=lambda: _shown(page),
    )
    _wait_until(lambda: f"typ={TYPE_SLUG}" in page.url, "the address shows the filter")
    assert same_document(), "filtering reloaded the page instead of swapping the results"
    assert _announces_count(page, len(expected)), _announced(page)
    # The fragment speaks the page's language and marks the Swedish titles.
    assert ui["found"] in _announced(page), _announced(page)
    titles = list(Activity.objects.filter(pk__in=expected).values_list("title", flat=True))
    unmarked = unmarked_swedish_titles(page, titles)
    assert not unmarked, f"Swedish titles without lang=sv after the swap: {unmarked}"
    violations = axe_violations(page)
    assert not violations, f"after filtering with htmx:\n{violations}"
    filtered_url = page.url
    # Only what the filter says: no empty fields, no default sort order.
    assert "=&" not in filtered_url and not filtered_url.endswith("=")
    assert "sortering" not in filtered_url, filtered_url
    # No page snapshots in the browser; htmx keeps only the current address in
    # sessionStorage for the back button, as "Om webbplatsen" says.
    assert set(_stored_keys(page)) <= HTMX_STORAGE, _stored_keys(page)

    page.go_back()
    _wait_until(lambda: page.url == start_url, "back returns to the unfiltered address")
    _wait_until(lambda: _shown(page) == everything[:PER_PAGE], "back restores the results")
    page.go_forward()
    _wait_until(lambda: page.url == filtered_url, "forward returns to the filtered address")
    _wait_until(lambda: _shown(page) == expected[:PER_PAGE], "forward restores the filter")

    page.goto(_activities_url(site, lang=lang))
    page.evaluate("window.__sameDocument = true")
    more = page.get_by_role("button", name=ui["more"]).or_(
        page.get_by_role("link", name=ui["more"])
    )
    # Keyboard users activate it with Enter; the button itself is replaced, so
    # focus must move to the first of the new activities, not fall to <body>.
    more.first.focus()
    page.keyboard.press("Enter")
    _wait_until(
        lambda: _shown(page) == everything[: 2 * PER_PAGE], "“Visa fler” appends the next page"
    )

    def focused() -> str:
        return page.evaluate("document.activeElement.pathname || document.activeElement.tagName")

    # htmx applies autofocus once the new content has settled, a moment later.
    _wait_until(
        lambda: focused().endswith(f"/aktiviteter/{everything[PER_PAGE]}/"),
        "focus moves to the first new activity after “Visa fler”",
        timeout=3,
        state=focused,
    )
    assert same_document(), "“Visa fler” reloaded the page"
    _wait_until(lambda: page.url.endswith("?sida=2"), "“Visa fler” shows its page in the address")
    assert set(_stored_keys(page)) <= HTMX_STORAGE, _stored_keys(page)
    violations = axe_violations(page)
    assert not violations, f"after “Visa fler”:\n{violations}"
