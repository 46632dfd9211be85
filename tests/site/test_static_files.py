"""Static files as production serves them: WhiteNoise, hashed, compressed, cached for a year."""

import re

from django.core.management import call_command
from django.templatetags.static import static


def test_hashed_static_files_are_compressed_and_cached_for_a_year(client, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)

    url = static("css/site.css")
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", url)
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=31536000, public, immutable"
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]

    # The unhashed name still answers, for a moment only: it changes in place.
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=60, public"
