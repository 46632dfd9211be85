"""Outcome indicators over time: one series per indicator and place, its verdict and its chart.

The one place that decides what a series says. An indicator measures how
things are (how safe people feel, how many crimes are reported), never what
was done, so nothing here touches activities.

The verdict compares the first and the latest value shown. Where both have a
95 % confidence interval and the intervals overlap, the change may be chance:
"ingen säker förändring". Overlapping intervals is a cautious test (a real
change can hide in it), which is the right side to err on for residents.
Register data (reported crimes) has no interval: the change is then stated
with a note that its uncertainty is not known.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby

from django.db.models import Prefetch
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .models import Indicator, Measurement, Promise

# The chart's drawing area, in SVG units; CSS scales it to the column.
CHART_WIDTH = 320
CHART_HEIGHT = 160
CHART_LEFT = 44  # room for the value labels
CHART_TOP = 8
CHART_BOTTOM = 24  # room for the year labels
CHART_RIGHT = 22


class Verdict:
    BETTER = "better"
    WORSE = "worse"
    NO_CLEAR_CHANGE = "no_clear_change"
    UNCHANGED = "unchanged"
    UP = "up"
    DOWN = "down"
    TOO_FEW = "too_few"


@dataclass
class ChartPoint:
    measurement: Measurement
    x: float
    y: float
    y_low: float | None = None
    y_high: float | None = None


@dataclass
class Gridline:
    y: float
    label: str


@dataclass
class Series:
    """An indicator's values for one place, oldest first."""

    indicator: Indicator
    place: str
    measurements: list[Measurement]
    points: list[ChartPoint] = field(default_factory=list)
    gridlines: list[Gridline] = field(default_factory=list)
    x_labels: list[tuple[float, str]] = field(default_factory=list)

    @property
    def first(self) -> Measurement | None:
        return self.measurements[0] if self.measurements else None

    @property
    def latest(self) -> Measurement | None:
        return self.measurements[-1] if self.measurements else None

    @property
    def has_intervals(self) -> bool:
        return any(m.has_interval for m in self.measurements)

    @property
    def verdict(self) -> str:
        return verdict(self.indicator.direction, self.first, self.latest)

    @property
    def verdict_text(self) -> str:
        return VERDICT_TEXTS[self.verdict]()

    @property
    def uncertainty_unknown(self) -> bool:
        """The change is stated without an interval on at least one of its two ends."""
        if len(self.measurements) < 2:
            return False
        return not (self.first.has_interval and self.latest.has_interval)

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    chart_width = CHART_WIDTH
    chart_height = CHART_HEIGHT
    plot_left = CHART_LEFT
    plot_right = CHART_WIDTH - CHART_RIGHT
    plot_bottom = CHART_HEIGHT - CHART_BOTTOM


VERDICT_TEXTS = {
    Verdict.BETTER: lambda: _("Förändringen går åt önskat håll."),
    Verdict.WORSE: lambda: _("Förändringen går åt fel håll."),
    Verdict.NO_CLEAR_CHANGE: lambda: _(
        "Ingen säker förändring: osäkerhetsintervallen för första och senaste mätningen överlappar."
    ),
    Verdict.UNCHANGED: lambda: _("Oförändrat sedan första mätningen."),
    Verdict.UP: lambda: _("Värdet har ökat."),
    Verdict.DOWN: lambda: _("Värdet har minskat."),
    Verdict.TOO_FEW: lambda: _("Bara en mätning hittills: ingen förändring att visa ännu."),
}


def verdict(direction: str, first: Measurement | None, latest: Measurement | None) -> str:
    """What the change from the first to the latest value says, given the desired direction."""
    if first is None or latest is None or first is latest or first.pk == latest.pk:
        return Verdict.TOO_FEW
    overlap = (
        first.has_interval
        and latest.has_interval
        and first.ci_low <= latest.ci_high
        and latest.ci_low <= first.ci_high
    )
    if overlap:
        return Verdict.NO_CLEAR_CHANGE
    if latest.value == first.value:
        return Verdict.UNCHANGED
    went_up = latest.value > first.value
    if direction == Indicator.Direction.UP:
        return Verdict.BETTER if went_up else Verdict.WORSE
    if direction == Indicator.Direction.DOWN:
        return Verdict.WORSE if went_up else Verdict.BETTER
    return Verdict.UP if went_up else Verdict.DOWN


def _moment(measurement: Measurement) -> float:
    """The measurement's place on the time axis, in years: a year's value sits mid-year."""
    if measurement.date:
        start = datetime.date(measurement.date.year, 1, 1)
        return measurement.date.year + (measurement.date - start).days / 366
    return measurement.year + 0.5


def _nice_step(span: float) -> float:
    """A round step for about four gridlines over the span."""
    raw = span / 4 or 1
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _format(value) -> str:
    return number_format(
        value, decimal_pos=0 if float(value).is_integer() else 1, force_grouping=True
    )


def _lay_out(series: Series) -> None:
    """Place the points on the chart: time left to right, values from a zero baseline.

    The value axis starts at zero (for values that are all zero or more) so that
    a small change is not drawn as a large one.
    """
    measurements = series.measurements
    if not measurements:
        return
    highs = [m.ci_high if m.has_interval else m.value for m in measurements]
    lows = [m.ci_low if m.has_interval else m.value for m in measurements]
    top = float(max(highs))
    bottom = min(0.0, float(min(lows)))
    step = _nice_step((top - bottom) or abs(top) or 1)
    top = step * (int(top / step) + 1) if top > 0 else 0.0
    if bottom < 0:
        bottom = -step * (int(-bottom / step) + 1)
    span = (top - bottom) or 1.0
    plot_top, plot_bottom = CHART_TOP, CHART_HEIGHT - CHART_BOTTOM
    plot_left, plot_right = CHART_LEFT, CHART_WIDTH - CHART_RIGHT

    def y_of(value) -> float:
        return plot_bottom - (float(value) - bottom) / span * (plot_bottom - plot_top)

    moments = [_moment(m) for m in measurements]
    first, last = min(moments), max(moments)
    width = last - first

    def x_of(moment: float) -> float:
        if width == 0:
            return (plot_left + plot_right) / 2
        return plot_left + (moment - first) / width * (plot_right - plot_left)

    series.points = [
        ChartPoint(
            measurement=m,
            x=x_of(moment),
            y=y_of(m.value),
            y_low=y_of(m.ci_low) if m.has_interval else None,
            y_high=y_of(m.ci_high) if m.has_interval else None,
        )
        for m, moment in zip(measurements, moments, strict=True)
    ]
    value = bottom
    while value <= top + step / 1000:
        series.gridlines.append(Gridline(y=y_of(value), label=_format(value)))
        value += step
    # Year labels under the axis: every year with a value, thinned to fit.
    years = sorted({m.year for m in measurements})
    every = max(1, -(-len(years) // 6))
    series.x_labels = [
        (x_of(year + 0.5) if width else x_of(first), str(year)) for year in years[::every]
    ]


def series_for(indicators: list[Indicator]) -> list[Series]:
    """Every indicator's series, one per place, from measurements already fetched on them.

    Expects ``measurements_shown`` on each indicator (see ``indicators_for_promise``).
    """
    result = []
    for indicator in indicators:
        measurements = sorted(
            indicator.measurements_shown,
            key=lambda m: (m.district is not None, m.place_label, _moment(m)),
        )
        for place, group in groupby(
            measurements, key=lambda m: (m.district is not None, m.place_label)
        ):
            series = Series(indicator=indicator, place=place[1], measurements=list(group))
            _lay_out(series)
            result.append(series)
        if not measurements:
            result.append(Series(indicator=indicator, place="", measurements=[]))
    return result


def indicators_for_promise(promise: Promise, *, public: bool = True) -> list[Series]:
    """The series shown with a promise: for its municipalities and its districts. Three queries."""
    municipalities = list(promise.municipalities.all())
    districts = list(promise.districts.all())
    measurements = (
        Measurement.objects.for_places(municipalities, districts)
        .select_related("municipality", "district")
        .order_by("year", "date", "pk")
    )
    indicators = Indicator.objects.for_promise(promise)
    indicators = indicators.public() if public else indicators.published()
    indicators = indicators.prefetch_related(
        Prefetch("measurements", queryset=measurements, to_attr="measurements_shown")
    ).order_by("position", "name", "pk")
    return series_for(list(indicators))


def latest_value_text(series: Series) -> str:
    latest = series.latest
    if latest is None:
        return ""
    return f"{_format(Decimal(latest.value))} {series.indicator.tr('unit')}"
