"""Security headers on every response: a strict Content-Security-Policy first of all."""

import pytest

PAGES = ["/", "/om-webbplatsen/", "/finns-inte-alls/", "/admin/login/"]


@pytest.mark.parametrize("path", PAGES)
def test_every_response_has_a_strict_content_security_policy(client, db, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.split(" ", 1) + [""])[:2] for part in (p.strip() for p in policy.split(";"))
    )
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_public_templates_carry_no_inline_script_or_style():
    """What the policy would block is not written in the first place."""
    import re
    from pathlib import Path

    from django.conf import settings

    offenders = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        if path.parts[-2] == "reports" and path.name in {"report_document.html", "report_pdf.html"}:
            continue  # downloaded files, which must stand alone; never served as pages
        text = path.read_text(encoding="utf-8")
        # A script element is either loaded from a file or plain data (JSON), never code.
        if re.search(
            r"<style|\sstyle=|<script(?![^>]*\s(?:src=|type=\"application/json\"))|\son[a-z]+=",
            text,
        ):
            offenders.append(str(path.relative_to(settings.BASE_DIR)))
    assert offenders == []
