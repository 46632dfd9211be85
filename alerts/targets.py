"""What a subscription follows: a municipality, a published promise or a commitment of one.

The subscribe page names it in its query string (`?kommun=harryda`,
`?lofte=12`, `?atagande=34`); a subscription stores it as one of three
foreign keys. Only what the public pages show can be followed.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from promises.models import Commitment, Municipality, Promise

# The most specific first: a link that names both a promise and its
# municipality follows the promise.
PARAMS = ("atagande", "lofte", "kommun")


@dataclass(frozen=True)
class Target:
    obj: Municipality | Promise | Commitment

    @property
    def param(self) -> str:
        if isinstance(self.obj, Municipality):
            return "kommun"
        if isinstance(self.obj, Promise):
            return "lofte"
        return "atagande"

    @property
    def query(self) -> str:
        """The subscribe page's query string for this target."""
        value = self.obj.slug if isinstance(self.obj, Municipality) else self.obj.pk
        return urlencode({self.param: value})

    @property
    def fields(self) -> dict:
        """The subscription's foreign key that points at this target."""
        if isinstance(self.obj, Municipality):
            return {"municipality": self.obj}
        if isinstance(self.obj, Promise):
            return {"promise": self.obj}
        return {"commitment": self.obj}

    @property
    def label(self) -> str:
        """What is followed, in a sentence: ”Du bevakar {label}.”"""
        obj = self.obj
        if isinstance(obj, Municipality):
            return _("medborgarlöftena i %(name)s") % {"name": obj.name}
        if isinstance(obj, Promise):
            return _("medborgarlöftet ”%(title)s” (%(period)s)") % {
                "title": obj.tr("title"),
                "period": obj.period_label,
            }
        return _("åtagande %(n)s, ”%(title)s”, i medborgarlöftet ”%(promise)s”") % {
            "n": obj.position,
            "title": obj.tr("title"),
            "promise": obj.promise.tr("title"),
        }

    @property
    def path(self) -> str:
        """The public page of what is followed."""
        return self.obj.get_absolute_url()

    @property
    def municipality(self) -> Municipality:
        """The municipality whose addresses the links in a digest use."""
        obj = self.obj
        if isinstance(obj, Municipality):
            return obj
        promise = obj if isinstance(obj, Promise) else obj.promise
        return promise.primary_municipality


def from_query(params) -> Target | None:
    """The public municipality, promise or commitment the query names; None if none."""
    for param in PARAMS:
        value = params.get(param, "").strip()
        if value:
            return _lookup(param, value)
    return None


def _lookup(param: str, value: str) -> Target | None:
    if param == "kommun":
        found = Municipality.objects.filter(slug=value[:100]).first()
    else:
        # An id only: anything else (or too large for the column) is unknown.
        if not (value.isascii() and value.isdigit() and len(value) <= 18):
            return None
        if param == "lofte":
            found = (
                Promise.objects.published().prefetch_related("municipalities").filter(pk=value)
            ).first()
        else:
            found = (
                Commitment.objects.public()
                .select_related("promise")
                .prefetch_related("promise__municipalities")
                .filter(pk=value)
            ).first()
    return Target(found) if found is not None else None


def of(subscription) -> Target:
    return Target(subscription.target)
