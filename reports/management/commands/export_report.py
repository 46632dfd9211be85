"""Write a promise's follow-up report for one year as PDF, XLSX, CSV or HTML."""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from promises.models import FollowUp, Municipality, Promise
from reports import outputs
from reports.content import build_report, report_for_follow_up, year_period


class Command(BaseCommand):
    help = (
        "Skriver uppföljningsrapporten för en kommuns medborgarlöfte ett år "
        "(publicerade uppföljningar och aktiviteter) som PDF, XLSX, CSV eller HTML."
    )

    def add_arguments(self, parser):
        parser.add_argument("municipality", help="kommunens adressnamn, t.ex. harryda")
        parser.add_argument("year", type=int)
        parser.add_argument("--format", dest="fmt", default="pdf")
        parser.add_argument("--output", required=True, help="fil, eller - för standard ut")
        parser.add_argument("--follow-up", type=int, dest="follow_up")
        parser.add_argument("--promise", help="löftets adressnamn")
        parser.add_argument("--delimiter", default=";", help="för CSV: ; eller ,")

    def handle(self, *args, municipality, year, fmt, output, follow_up, promise, delimiter, **kw):
        with translation.override(settings.LANGUAGE_CODE):
            data = self._render(municipality, year, fmt, follow_up, promise, delimiter)
        if output == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            with open(output, "wb") as out:
                out.write(data)
            self.stdout.write(_("Skrev %(path)s.") % {"path": output})

    def _render(self, slug, year, fmt, follow_up_id, promise_slug, delimiter) -> bytes:
        if fmt not in outputs.FORMATS:
            raise CommandError(
                _("Okänt format ”%(fmt)s”. Välj ett av: %(formats)s.")
                % {"fmt": fmt, "formats": ", ".join(outputs.FORMATS)}
            )
        if delimiter not in outputs.CSV_DELIMITERS:
            raise CommandError(_("Avgränsaren för CSV ska vara ; eller ,."))
        municipality = Municipality.objects.filter(slug=slug).first()
        if municipality is None:
            raise CommandError(
                _("Det finns ingen kommun med adressnamnet ”%(slug)s”.") % {"slug": slug}
            )
        promises = [
            p
            for p in Promise.objects.published().for_municipality(municipality).order_by("slug")
            if year_period(p, year) is not None
        ]
        if promise_slug:
            promises = [p for p in promises if p.slug == promise_slug]
        if not promises:
            raise CommandError(
                _("%(municipality)s har inget publicerat medborgarlöfte som gäller %(year)s.")
                % {"municipality": municipality.name, "year": year}
            )
        if len(promises) > 1:
            raise CommandError(
                _(
                    "%(municipality)s har flera medborgarlöften %(year)s. Välj ett med --promise: %(slugs)s."
                )
                % {
                    "municipality": municipality.name,
                    "year": year,
                    "slugs": ", ".join(p.slug for p in promises),
                }
            )
        promise = promises[0]
        follow_ups = FollowUp.objects.published().filter(
            promise=promise, period_start__year__lte=year, period_end__year__gte=year
        )
        if follow_up_id is not None:
            chosen = follow_ups.filter(pk=follow_up_id).first()
            if chosen is None:
                raise CommandError(
                    _("Uppföljning %(id)s är inte en publicerad uppföljning av löftet %(year)s.")
                    % {"id": follow_up_id, "year": year}
                )
            report = report_for_follow_up(chosen)
        else:
            found = list(follow_ups[:2])
            if len(found) > 1:
                raise CommandError(
                    _("Löftet har flera uppföljningar %(year)s. Välj en med --follow-up: %(ids)s.")
                    % {"year": year, "ids": ", ".join(str(f.pk) for f in follow_ups)}
                )
            if found:
                report = report_for_follow_up(found[0])
            else:
                report = build_report(promise, year_period(promise, year))
        return outputs.render(report, fmt, delimiter=delimiter)
