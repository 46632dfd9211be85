"""Playwright fixtures: Debian's Chromium against pytest-django's live server, with the demo data."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import import_module
from io import StringIO
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from activities.models import Activity
from promises.models import FollowUp, Municipality, Promise

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 800}
LANGUAGES = ["sv", "en"]

# Whether the focused element shows a focus indicator: a visible outline or a
# box shadow on it, or, for a checkbox or radio, on its label.
HAS_FOCUS_RING_JS = """() => {
    const el = document.activeElement;
    const shown = style => (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
                            && !/transparent|rgba\\(.*, 0\\)$/.test(style.outlineColor))
                           || style.boxShadow !== 'none';
    if (shown(getComputedStyle(el))) return true;
    const label = el.labels && el.labels[0];
    return !!label && [null, '::before', '::after'].some(
        pseudo => shown(getComputedStyle(label, pseudo)));
}"""

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def axe_violations(page: Page) -> str:
    """axe-core's WCAG 2.1 A and AA violations on the page as it is now, readably; "" if none."""
    lines = []
    for violation in Axe().run(page, options=AXE_OPTIONS).response["violations"]:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"][:6]:
            lines.append(f"    - {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = node.get("failureSummary", "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(violation["nodes"]) > 6:
            lines.append(f"    … and {len(violation['nodes']) - 6} more")
    return "\n".join(lines)


def unmarked_swedish_titles(page: Page, titles: list[str]) -> list[str]:
    """Those of the given Swedish texts shown in <main> outside an element with lang="sv"."""
    return page.evaluate(
        """titles => {
            const wanted = new Set(titles);
            const walker = document.createTreeWalker(
                document.querySelector('main'), NodeFilter.SHOW_TEXT);
            const found = [];
            while (walker.nextNode()) {
                const text = walker.currentNode.textContent.trim();
                const holder = walker.currentNode.parentElement;
                if (wanted.has(text) && holder.closest('[lang]').lang !== 'sv') {
                    found.push(text.slice(0, 60));
                }
            }
            return found;
        }""",
        sorted(titles),
    )


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    # Playwright's sync API marks its event loop as running in the main thread,
    # and Django then refuses synchronous ORM calls there
    # (SynchronousOnlyOperation). The tests touch the database only between
    # browser calls, never concurrently, so Django's documented escape hatch
    # is safe here; it is set only while Playwright runs.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as p:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests drive Debian's Chromium. "
            "Install it with: apt-get install -y chromium",
            pytrace=False,
        )
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Open pages in fresh contexts (no cookies, history or storage shared between tests)."""
    contexts = []

    def open_page(
        *, viewport: dict = DESKTOP, javascript: bool = True, bypass_csp: bool = False
    ) -> Page:
        context = browser.new_context(
            viewport=viewport, java_script_enabled=javascript, bypass_csp=bypass_csp
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


@dataclass
class DemoSite:
    """The live server with the demo loaded, and the addresses of one page of each type."""

    base: str
    municipality: Municipality
    promise: Promise
    archived_promise: Promise
    activity: Activity

    def url(self, name: str, lang: str = "sv", query: str = "", **kwargs) -> str:
        with translation.override(lang):
            path = reverse(f"public:{name}", kwargs=kwargs)
        return f"{self.base}{path}{'?' + query if query else ''}"

    def _open_data_url(self, lang: str) -> str:
        # The open-data page belongs to the api app, not to public.
        with translation.override(lang):
            return f"{self.base}{reverse('api:open-data')}"

    def alerts_url(self, name: str, lang: str = "sv", query: str = "", **kwargs) -> str:
        with translation.override(lang):
            path = reverse(f"alerts:{name}", kwargs=kwargs)
        return f"{self.base}{path}{'?' + query if query else ''}"

    def promise_kwargs(self, promise: Promise | None = None) -> dict:
        promise = promise or self.promise
        return {"municipality": promise.municipalities.first().slug, "promise": promise.slug}

    def page_urls(self, lang: str) -> dict[str, str]:
        """One address per public page type, keyed by a readable name."""
        kw = self.promise_kwargs()
        commitment = self.activity.commitment
        return {
            "start": self.url("home", lang),
            "municipality": self.url("municipality-detail", lang, municipality=kw["municipality"]),
            # Härryda has only a finished promise: the page without a current one.
            "municipality-archived": self.url(
                "municipality-detail",
                lang,
                municipality=self.promise_kwargs(self.archived_promise)["municipality"],
            ),
            "promise": self.url("promise-detail", lang, **kw),
            "promise-archived": self.url(
                "promise-detail", lang, **self.promise_kwargs(self.archived_promise)
            ),
            "commitment": self.url("commitment-detail", lang, commitment=commitment.slug, **kw),
            "commitment-no-target": self.url(
                "commitment-detail",
                lang,
                commitment=self.promise.commitments.filter(target_value__isnull=True)
                .order_by("position")
                .first()
                .slug,
                **kw,
            ),
            "activities": self.url("activity-list", lang, **kw),
            "activity": self.url("activity-detail", lang, pk=self.activity.pk, **kw),
            # The report for the council, as residents read it: tables and charts.
            "follow-up": self.url(
                "follow-up-detail",
                lang,
                pk=FollowUp.objects.published()
                .filter(promise=self.archived_promise)
                .order_by("period_end")
                .values_list("pk", flat=True)
                .first(),
                **self.promise_kwargs(self.archived_promise),
            ),
            "accessibility": self.url("accessibility", lang),
            "about": self.url("about", lang),
            "open-data": self._open_data_url(lang),
            "subscribe": self.alerts_url("subscribe", lang, query=f"lofte={self.promise.pk}"),
            "subscribe-sent": self.alerts_url(
                "subscribe-sent", lang, query=f"lofte={self.promise.pk}"
            ),
            "alerts-about": self.alerts_url("about", lang),
            "404": self.url("municipality-detail", lang, municipality="finns-inte-alls"),
        }


@pytest.fixture
def site(live_server) -> DemoSite:
    # live_server makes the test transactional, so that the server thread sees
    # this data, and the database is flushed after each test, which also
    # removes the activity types that a data migration seeds. Serialized
    # rollback cannot restore them: once Playwright has started, its event loop
    # counts as running in this thread, and Django hands out other connection
    # objects here than the one holding the serialized snapshot. So seed again.
    seed_types = import_module("activities.migrations.0003_seed_activity_types").seed
    seed_types(apps, None)
    import_module("promises.migrations.0009_seed_abbreviations").seed(apps, None)
    call_command("load_demo", force=True, stdout=StringIO())
    # Mölndal's example promise is current and has targets, so its pages show
    # the most components; Härryda's is the real, finished one.
    promise = Promise.objects.published().get(municipalities__slug="molndal")
    archived = Promise.objects.published().get(municipalities__slug="harryda")
    activity = (
        Activity.objects.public()
        .filter(commitment__promise=promise)
        .select_related("commitment")
        .order_by("commitment__position", "-date", "pk")
        .first()
    )
    return DemoSite(
        base=live_server.url,
        municipality=promise.municipalities.first(),
        promise=promise,
        archived_promise=archived,
        activity=activity,
    )
