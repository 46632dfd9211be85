"""Outcome indicators: their rules, what the series says, and where residents see them."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from promises.indicators import Verdict, indicators_for_promise, verdict
from promises.models import District, Indicator, Measurement, Promise


@pytest.fixture
def make_indicator(db):
    def make(*, promise=None, municipalities=(), **fields):
        fields.setdefault("name", "Andel som känner sig trygga")
        fields.setdefault("unit", "procent")
        fields.setdefault("source_name", "Trygghetsmätningen")
        fields.setdefault("status", Indicator.Status.PUBLISHED)
        indicator = Indicator.objects.create(promise=promise, **fields)
        indicator.municipalities.set(municipalities)
        return indicator

    return make


def _values(indicator, municipality, rows, district=None):
    for year, value, *interval in rows:
        low, high = interval if interval else (None, None)
        Measurement.objects.create(
            indicator=indicator,
            municipality=municipality,
            district=district,
            year=year,
            value=Decimal(str(value)),
            ci_low=None if low is None else Decimal(str(low)),
            ci_high=None if high is None else Decimal(str(high)),
        )


def _measurement(**fields) -> Measurement:
    return Measurement(**fields)


# The rules of a measurement.


def test_an_interval_needs_both_bounds_around_the_value(make_indicator, harryda):
    indicator = make_indicator(municipalities=[harryda])
    half = Measurement(
        indicator=indicator, municipality=harryda, year=2023, value=70, ci_low=Decimal(67)
    )
    with pytest.raises(ValidationError) as error:
        half.full_clean()
    assert "ci_high" in error.value.message_dict
    outside = Measurement(
        indicator=indicator,
        municipality=harryda,
        year=2023,
        value=80,
        ci_low=Decimal(67),
        ci_high=Decimal(73),
    )
    with pytest.raises(ValidationError) as error:
        outside.full_clean()
    assert "ci_low" in error.value.message_dict


def test_the_database_refuses_a_value_outside_its_interval(make_indicator, harryda):
    from django.db import IntegrityError, transaction

    indicator = make_indicator(municipalities=[harryda])
    with pytest.raises(IntegrityError), transaction.atomic():
        Measurement.objects.create(
            indicator=indicator, municipality=harryda, year=2023, value=80, ci_low=1, ci_high=2
        )


def test_a_date_sets_the_year_and_must_lie_in_it(make_indicator, harryda):
    indicator = make_indicator(municipalities=[harryda])
    measurement = Measurement(
        indicator=indicator, municipality=harryda, date=date(2023, 10, 1), value=5
    )
    measurement.full_clean()
    assert measurement.year == 2023
    wrong = Measurement(
        indicator=indicator, municipality=harryda, year=2022, date=date(2023, 10, 1), value=5
    )
    with pytest.raises(ValidationError) as error:
        wrong.full_clean()
    assert "date" in error.value.message_dict
    neither = Measurement(indicator=indicator, municipality=harryda, value=5)
    with pytest.raises(ValidationError) as error:
        neither.full_clean()
    assert "year" in error.value.message_dict


def test_a_value_belongs_to_a_place_the_indicator_is_measured_in(make_indicator, harryda, molndal):
    indicator = make_indicator(municipalities=[harryda])
    elsewhere = Measurement(indicator=indicator, municipality=molndal, year=2023, value=5)
    with pytest.raises(ValidationError) as error:
        elsewhere.full_clean()
    assert "municipality" in error.value.message_dict
    other_district = District.objects.create(municipality=molndal, name="Kvarnbyn", slug="kvarnbyn")
    wrong_district = Measurement(
        indicator=indicator, municipality=harryda, district=other_district, year=2023, value=5
    )
    with pytest.raises(ValidationError) as error:
        wrong_district.full_clean()
    assert "district" in error.value.message_dict


def test_one_value_per_indicator_place_and_time(make_indicator, harryda):
    indicator = make_indicator(municipalities=[harryda])
    _values(indicator, harryda, [(2023, 70)])
    again = Measurement(indicator=indicator, municipality=harryda, year=2023, value=71)
    with pytest.raises(ValidationError):
        again.full_clean()
    # Another date in the same year is a value of its own.
    Measurement(
        indicator=indicator, municipality=harryda, date=date(2023, 6, 1), value=71
    ).full_clean()


# What a series says.


def _point(value, low=None, high=None, pk=None):
    return Measurement(
        pk=pk,
        year=2020,
        value=Decimal(value),
        ci_low=None if low is None else Decimal(low),
        ci_high=None if high is None else Decimal(high),
    )


@pytest.mark.parametrize(
    ("direction", "first", "latest", "expected"),
    [
        # Intervals that overlap: the change may be chance.
        ("up", ("68", "65", "71"), ("70", "67", "73"), Verdict.NO_CLEAR_CHANGE),
        # Intervals apart: a change, judged by the desired direction.
        ("up", ("68", "65", "71"), ("75", "72", "78"), Verdict.BETTER),
        ("down", ("68", "65", "71"), ("75", "72", "78"), Verdict.WORSE),
        ("none", ("68", "65", "71"), ("75", "72", "78"), Verdict.UP),
        # No intervals (register data): the change is stated.
        ("down", ("8120",), ("7020",), Verdict.BETTER),
        ("up", ("8120",), ("7020",), Verdict.WORSE),
        ("up", ("50",), ("50",), Verdict.UNCHANGED),
    ],
)
def test_the_verdict_compares_first_and_latest(direction, first, latest, expected):
    assert verdict(direction, _point(*first, pk=1), _point(*latest, pk=2)) == expected


def test_one_value_is_too_few_for_a_verdict():
    only = _point("70", pk=1)
    assert verdict("up", only, only) == Verdict.TOO_FEW


# Where residents see them.


def test_the_promise_page_shows_the_indicator_apart_with_verdict_chart_and_table(
    client, promise, make_indicator, harryda
):
    indicator = make_indicator(municipalities=[harryda], direction="up")
    _values(indicator, harryda, [(2019, "68.0", "64.9", "71.1"), (2024, "74.8", "72.0", "77.6")])
    html = client.get(promise.get_absolute_url()).content.decode()
    section = html[html.index('id="utfall"') :]
    assert "Andel som känner sig trygga" in section
    assert "Förändringen går åt önskat håll." in section
    assert "<polyline" in section
    assert "64,9–71,1" in section  # the table, with the interval
    # Decimal commas never reach the SVG's coordinates.
    svg = section[section.index("<svg") : section.index("</svg>")]
    assert "," not in svg.split("<title")[0].replace("viewBox", "")
    assert 'x="' in svg and not any("," in part.split('"')[0] for part in svg.split(' x="')[1:])


def test_overlapping_intervals_say_no_clear_change(client, promise, make_indicator, harryda):
    indicator = make_indicator(municipalities=[harryda])
    _values(indicator, harryda, [(2022, 68, 65, 71), (2023, 70, 67, 73)])
    html = client.get(promise.get_absolute_url()).content.decode()
    assert "Ingen säker förändring" in html


def test_register_data_says_its_uncertainty_is_unknown(client, promise, make_indicator, harryda):
    indicator = make_indicator(
        municipalities=[harryda], name="Anmälda brott", unit="per 100 000", direction="down"
    )
    _values(indicator, harryda, [(2019, 8120), (2024, 7020)])
    html = client.get(promise.get_absolute_url()).content.decode()
    assert "Förändringen går åt önskat håll." in html
    assert "Osäkerheten i värdena är inte känd" in html


def test_only_public_indicators_of_the_promises_places_are_shown(
    client, promise, make_promise, make_indicator, harryda, molndal
):
    shown = make_indicator(municipalities=[harryda], name="Trygghet i Härryda")
    _values(shown, harryda, [(2023, 70)])
    make_indicator(municipalities=[harryda], name="Utkastindikatorn", status="draft")
    make_indicator(municipalities=[molndal], name="Mölndals indikator")
    draft_promise = make_promise(
        [molndal], title="Utkast", start=date(2025, 1, 1), end=date(2026, 1, 1), status="draft"
    )
    make_indicator(promise=draft_promise, name="Utkastlöftets indikator")
    html = client.get(promise.get_absolute_url()).content.decode()
    assert "Trygghet i Härryda" in html
    assert "Utkastindikatorn" not in html
    assert "Mölndals indikator" not in html
    # Not even with the draft promise itself, on a public page.
    names = {s.indicator.name for s in indicators_for_promise(draft_promise)}
    assert names == {"Mölndals indikator"}
    assert Indicator.objects.public().filter(name="Utkastlöftets indikator").count() == 0


def test_a_series_runs_across_promise_periods(
    client, promise, make_promise, make_indicator, harryda
):
    indicator = make_indicator(municipalities=[harryda])
    _values(indicator, harryda, [(2019, 66), (2021, 68), (2025, 72)])
    renewed = make_promise(
        [harryda], title="Förnyat", slug="2024-2026", start=date(2024, 6, 1), end=date(2026, 5, 31)
    )
    for shown_on in (promise, renewed):
        series = indicators_for_promise(shown_on)
        assert [m.year for m in series[0].measurements] == [2019, 2021, 2025]


def test_a_district_promise_shows_its_districts_values_each_as_its_own_series(
    make_promise, make_indicator, harryda
):
    centrum = District.objects.create(municipality=harryda, name="Mölnlycke", slug="molnlycke")
    landvetter = District.objects.create(municipality=harryda, name="Landvetter", slug="landvetter")
    district_promise = make_promise(
        [harryda], title="Mölnlycke", slug="molnlycke", districts=[centrum]
    )
    indicator = make_indicator(municipalities=[harryda])
    _values(indicator, harryda, [(2022, 70), (2023, 71)])
    _values(indicator, harryda, [(2022, 60), (2023, 65)], district=centrum)
    _values(indicator, harryda, [(2022, 80)], district=landvetter)
    places = [s.place for s in indicators_for_promise(district_promise)]
    assert places == ["Härryda", "Mölnlycke"]


def test_a_staff_preview_shows_the_draft_promises_published_indicators(
    client, make_promise, make_indicator, harryda, harryda_staff
):
    draft = make_promise([harryda], title="Utkast", status=Promise.Status.DRAFT)
    indicator = make_indicator(promise=draft, name="Löftets egen indikator")
    _values(indicator, harryda, [(2023, 10)])
    client.force_login(harryda_staff)
    response = client.get(f"/forhandsgranska/medborgarlofte/{draft.pk}/")
    assert response.status_code == 200
    assert "Löftets egen indikator" in response.content.decode()


def test_the_page_reads_indicators_in_a_fixed_number_of_queries(
    client, promise, make_indicator, harryda, django_assert_max_num_queries
):
    for number in range(3):
        indicator = make_indicator(municipalities=[harryda], name=f"Indikator {number}")
        _values(indicator, harryda, [(2015 + year, 50 + year) for year in range(10)])
    with django_assert_max_num_queries(19):
        response = client.get(promise.get_absolute_url())
    assert response.content.decode().count("<polyline") == 3


@override_settings(LANGUAGE_CODE="sv")
def test_english_page_gives_the_english_name(client, promise, make_indicator, harryda):
    indicator = make_indicator(municipalities=[harryda], name_en="Share who feel safe")
    _values(indicator, harryda, [(2023, 70)])
    html = client.get("/en" + promise.get_absolute_url()).content.decode()
    assert "Share who feel safe" in html


def test_the_report_has_an_indicators_section(promise, make_indicator, harryda, make_follow_up):
    from reports import outputs
    from reports.content import report_for_follow_up

    indicator = make_indicator(municipalities=[harryda], name="Trygghetsindikatorn")
    _values(indicator, harryda, [(2021, 60, 57, 63), (2023, 70, 67, 73)])
    follow_up = make_follow_up(promise, {})
    report = report_for_follow_up(follow_up)
    html = outputs.render_html(report)
    assert 'id="indikatorer"' in html and "Trygghetsindikatorn" in html
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(outputs.xlsx_bytes(report)))
    rows = list(book["Indikatorer"].iter_rows(values_only=True))
    assert rows[1][0] == "Trygghetsindikatorn" and rows[2][3] == 70
