"""iCalendar (RFC 5545) text, written line by line.

The icalendar library builds an object for every property and folds every
line character by character: for a calendar of 200 events that took about
60 ms of a 75 ms request at national scale (docs/performance.md). The
calendars here need a handful of property kinds only, so they are written as
text: escaped (RFC 5545, 3.3.11), folded at 75 octets (3.1) on character
boundaries. The time zone definition, the one intricate part, still comes
from the library, made once per process for the years asked. The tests read
every calendar back with the library's parser.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone

LIMIT = 75  # octets in a line, without its CRLF
_TEXT_ESCAPES = str.maketrans({"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n"})


def text(value: str) -> str:
    """A TEXT value, escaped (a CRLF or a lone CR or LF becomes one ``\\n``)."""
    return value.replace("\r\n", "\n").replace("\r", "\n").translate(_TEXT_ESCAPES)


def fold(line: str) -> str:
    """``line`` folded into lines of at most 75 octets, never inside a character.

    A fold never separates a backslash from the character it escapes, as the
    library does not, for readers that unfold carelessly.
    """
    if len(line) * 4 <= LIMIT or len(line.encode()) <= LIMIT:
        return line
    parts: list[str] = []
    start = 0
    size = 0
    limit = LIMIT  # the first line; a continuation's leading space counts too
    for i, char in enumerate(line):
        width = 1 if char < "\x80" else len(char.encode())
        if size + width > limit:
            end = i - 1 if i - 1 > start and line[i - 1] == "\\" and _escapes(line, i - 1) else i
            parts.append(line[start:end])
            size = sum(1 if c < "\x80" else len(c.encode()) for c in line[end:i])
            start = end
            limit = LIMIT - 1
        size += width
    parts.append(line[start:])
    return "\r\n ".join(parts)


def _escapes(line: str, i: int) -> bool:
    """Whether the backslash at ``i`` escapes the next character (it is not itself escaped)."""
    run = 0
    while i - run >= 0 and line[i - run] == "\\":
        run += 1
    return run % 2 == 1


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def day(value: date) -> str:
    return value.strftime("%Y%m%d")


def local(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


@lru_cache(maxsize=32)
def timezone_definition(name: str, first_year: int, last_year: int) -> str:
    """The VTIMEZONE component for ``name`` over the years given, as folded text lines."""
    component = Timezone.from_tzinfo(
        ZoneInfo(name), first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1)
    )
    return component.to_ical().decode().rstrip("\r\n")


class Writer:
    """The lines of one calendar, joined with CRLF at the end."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, name: str, value: str, parameters: str = "") -> None:
        """A property whose value is already in iCalendar form (escaped where TEXT)."""
        self.lines.append(fold(f"{name}{parameters}:{value}"))

    def raw(self, lines: str) -> None:
        """Text already folded, such as a component the library made."""
        self.lines.append(lines)

    def to_ical(self) -> bytes:
        return ("\r\n".join(self.lines) + "\r\n").encode()
