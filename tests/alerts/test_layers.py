"""The alerts build on the domain only: promises ← activities ← {reports, public, staff, api, alerts}."""

from pathlib import Path

import alerts
from tests.api.test_layers import _imported_apps

NOT_BELOW = {"public", "staff", "reports", "api"}


def test_the_alerts_import_nothing_from_the_site_the_staff_tools_the_reports_or_the_api():
    files = list(Path(alerts.__file__).parent.rglob("*.py"))
    assert len(files) > 10
    wrong = {str(path): _imported_apps(path) & NOT_BELOW for path in files}
    assert not {path: apps for path, apps in wrong.items() if apps}
