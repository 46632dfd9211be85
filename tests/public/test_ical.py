"""The calendars' own iCalendar writer, read back with the icalendar library's parser."""

from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

from public import ical

# Letters of every width in UTF-8, and what TEXT must escape.
_TEXT = st.lists(
    st.sampled_from(list('aåÅé€😀 ,;:\\"\n\r\tx') + ["\r\n"]), min_size=40, max_size=300
).map("".join)


def _calendar_with_summary(summary: str) -> bytes:
    writer = ical.Writer()
    for name, value in [
        ("BEGIN", "VCALENDAR"),
        ("VERSION", "2.0"),
        ("PRODID", "-//test//test//SV"),
        ("BEGIN", "VEVENT"),
        ("UID", "1@test"),
        ("DTSTAMP", "20260101T000000Z"),
        ("SUMMARY", ical.text(summary)),
        ("CATEGORIES", ical.text("Trygghet, vandring; kväll")),
        ("END", "VEVENT"),
        ("END", "VCALENDAR"),
    ]:
        writer.add(name, value)
    return writer.to_ical()


@given(_TEXT)
def test_text_is_folded_at_75_octets_and_reads_back_unchanged(summary):
    body = _calendar_with_summary(summary)
    for line in body.split(b"\r\n"):
        assert len(line) <= ical.LIMIT
        line.decode()  # never folded inside a character
    event = Calendar.from_ical(body).walk("VEVENT")[0]
    expected = summary.replace("\r\n", "\n").replace("\r", "\n")
    assert str(event["SUMMARY"]) == expected
    assert event["CATEGORIES"].cats == ["Trygghet, vandring; kväll"]


def test_a_fold_never_separates_a_backslash_from_what_it_escapes():
    for width in range(60, 80):
        line = "SUMMARY:" + "a" * width + "\\,b\\\\c\\;"
        for physical in ical.fold(line).split("\r\n "):
            assert not (physical.endswith("\\") and _escapes_at_end(physical))


def _escapes_at_end(physical: str) -> bool:
    run = len(physical) - len(physical.rstrip("\\"))
    return run % 2 == 1


def test_short_lines_are_left_alone():
    assert ical.fold("STATUS:CONFIRMED") == "STATUS:CONFIRMED"
    assert ical.fold("X:" + "å" * 36) == "X:" + "å" * 36  # 74 octets
    assert "\r\n " in ical.fold("X:" + "å" * 37)  # 76 octets


def test_the_time_zone_covers_the_years_asked():
    text = ical.timezone_definition("Europe/Stockholm", 2025, 2026)
    zone = Calendar.from_ical(
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n{text}\r\nEND:VCALENDAR\r\n"
    ).walk("VTIMEZONE")[0]
    assert str(zone["TZID"]) == "Europe/Stockholm"
    assert "20250330T030000" in text and "20261025T030000" in text
