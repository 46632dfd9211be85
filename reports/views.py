"""Serving a follow-up's report: the stored PDF and XLSX, and the CSV streamed.

Who may see which follow-up is decided by the caller (the public page for
published ones, the staff admin for the user's own); this only writes the
response. Building the PDF and XLSX is the task worker's job, never a request's.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from promises.models import FollowUp

from . import files, outputs
from .content import report_for_follow_up

DOWNLOAD_FORMATS = ("pdf", "xlsx", "csv")


def download_name(follow_up: FollowUp, fmt: str) -> str:
    return f"uppfoljning-{follow_up.promise.slug}-{follow_up.pk}.{fmt}"


def report_response(
    request: HttpRequest, follow_up: FollowUp, fmt: str, *, staff: bool
) -> HttpResponse:
    if fmt not in DOWNLOAD_FORMATS:
        raise Http404
    if fmt == "csv":
        delimiter = request.GET.get("avgransare", ";")
        if delimiter not in outputs.CSV_DELIMITERS:
            delimiter = ";"
        report = report_for_follow_up(follow_up, activities=files.report_activities(follow_up))
        response = StreamingHttpResponse(
            outputs.csv_chunks(report, delimiter), content_type=outputs.CONTENT_TYPES["csv"]
        )
        response["Content-Disposition"] = f'attachment; filename="{download_name(follow_up, fmt)}"'
    else:
        stored = files.current_file(follow_up, fmt)
        if stored is None:
            response = render(
                request,
                "reports/preparing.html",
                {"follow_up": follow_up, "fmt": fmt.upper()},
                status=202,
            )
            response["Retry-After"] = "10"
            response["Cache-Control"] = "no-store"
            return response
        response = FileResponse(
            stored.open("rb"),
            as_attachment=True,
            filename=download_name(follow_up, fmt),
            content_type=outputs.CONTENT_TYPES[fmt],
        )
    if staff:
        response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def file_status(follow_up: FollowUp) -> dict[str, bool]:
    """Which stored formats are ready to download, for the pages that link to them."""
    stored = files.stored_files(follow_up)
    return {fmt: stored is not None and bool(getattr(stored, fmt)) for fmt in files.STORED_FORMATS}
