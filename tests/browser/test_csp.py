"""The strict Content-Security-Policy holds in a real browser: no page breaks it."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from activities.models import Activity
from promises.models import FollowUp, Indicator
from tests.browser.conftest import LANGUAGES

pytestmark = pytest.mark.browser

# Every violation is reported by the browser as an event, also for what it blocked.
# Once the page has loaded (every resource fetched, every script run) and the
# tasks queued by then have run, the page says so: the violations came before.
SETTLED = "CSP-SETTLED"
LISTEN = f"""document.addEventListener('securitypolicyviolation',
    e => console.log('CSP-VIOLATION ' + e.violatedDirective + ' ' + e.blockedURI));
window.addEventListener('load', () => setTimeout(() => console.log('{SETTLED}'), 0));"""


def _watch(page: Page) -> list[str]:
    seen: list[str] = []
    page.add_init_script(LISTEN)
    page.on(
        "console",
        lambda message: (
            seen.append(message.text)
            if "CSP-VIOLATION" in message.text or "Content Security Policy" in message.text
            else None
        ),
    )
    return seen


def _visit(
    page: Page, seen: list[str], urls: dict[str, str], ready: dict[str, str] | None = None
) -> list[str]:
    """Each page's violations; ``ready`` names what a page builds after loading, to wait for."""
    problems = []
    for name, url in urls.items():
        seen.clear()
        # (Not "networkidle": it waits for a quiet spell of the network, which a
        # loaded machine did not always give within 30 s.)
        with page.expect_console_message(lambda message: message.text == SETTLED, timeout=30_000):
            response = page.goto(url)
        assert response is not None and response.status in (200, 404), f"{name}: {url}"
        if ready and name in ready:
            page.locator(ready[name]).first.wait_for(timeout=30_000)
        if seen:
            problems.append(f"{name} {url}: {seen[:3]}")
    return problems


@pytest.mark.parametrize("lang", LANGUAGES)
def test_public_pages_and_htmx_keep_the_policy(site, new_page, lang):
    page = new_page()
    seen = _watch(page)
    urls = {**site.page_urls(lang), "api-docs": site.base + "/api/v1/docs"}
    # Swagger UI fetches the API document after loading, then builds the page from it.
    problems = _visit(page, seen, urls, ready={"api-docs": ".swagger-ui .info"})
    # htmx at work: "Visa fler" loads the next page of activities into the list.
    page.goto(site.url("activity-list", lang, **site.promise_kwargs()))
    seen.clear()
    before = page.locator(".ml-activity").count()
    page.locator("#ml-more a").first.click()
    # (Waiting by locator: a script evaluated as a string would itself break the policy.)
    page.locator(".ml-activity").nth(before).wait_for()
    if seen:
        problems.append(f"htmx: {seen[:3]}")
    assert not problems, "Content-Security-Policy violations:\n" + "\n".join(problems)


def test_staff_pages_keep_the_policy(site, new_page, django_user_model):
    django_user_model.objects.create_superuser("csp-admin", password="ett-langt-losenord-2024")
    page = new_page()
    seen = _watch(page)
    page.goto(site.base + reverse("admin:login"))
    page.fill("#id_username", "csp-admin")
    page.fill("#id_password", "ett-langt-losenord-2024")
    page.click("input[type=submit]")
    activity = Activity.objects.order_by("pk").first()
    follow_up = FollowUp.objects.order_by("pk").first()
    indicator = Indicator.objects.order_by("pk").first()
    paths = {
        "index": reverse("admin:index"),
        "activities": reverse("admin:activities_activity_changelist"),
        "add activity": reverse("admin:activities_activity_add"),
        "change activity": reverse("admin:activities_activity_change", args=[activity.pk]),
        "history": reverse("admin:activities_activity_history", args=[activity.pk]),
        "import": reverse("admin:activities_activity_import"),
        "promise": reverse("admin:promises_promise_change", args=[site.promise.pk]),
        "follow-up": reverse("admin:promises_followup_change", args=[follow_up.pk]),
        "indicator": reverse("admin:promises_indicator_change", args=[indicator.pk]),
        "import values": reverse("admin:promises_measurement_import"),
        "preview": reverse("public:promise-preview", args=[site.promise.pk]),
    }
    problems = _visit(page, seen, {name: site.base + path for name, path in paths.items()})
    assert not problems, "Content-Security-Policy violations:\n" + "\n".join(problems)
