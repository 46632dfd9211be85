"""CSV downloads of the lists: the same items as the JSON, flattened into columns.

Each row is the item's JSON schema, so a CSV file can never show more (or
other) fields than the API. Nested things become columns of their own
(``type_slug``, ``type_name``) and lists of things one column of their
address names or names, comma-separated. UTF-8 with a BOM, so that Excel
reads the Swedish letters; semicolons by default, as Swedish Excel expects.
"""

import csv
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from ninja import Field, Schema

from .items import dumper, schema_in

# Rows fetched from the database at a time: memory stays flat however long the list.
CHUNK_SIZE = 1000
DELIMITERS = {"semicolon": ";", "comma": ","}


class CsvParams(Schema):
    delimiter: Literal[tuple(DELIMITERS)] = Field(
        "semicolon",
        description="Avgränsare: semicolon (;), som svenska Excel väntar sig, eller comma (,).",
    )


@dataclass(frozen=True)
class Column:
    name: str
    value: Callable[[dict], object]


def _get(*keys: str) -> Callable[[dict], object]:
    def get(data: dict) -> object:
        for key in keys:
            data = data.get(key) if data is not None else None
        return data

    return get


def _join(name: str, key: str) -> Callable[[dict], object]:
    return lambda data: ", ".join(str(item[key]) for item in data[name])


def columns(schema: type[Schema]) -> list[Column]:
    result = []
    for name, field in schema.model_fields.items():
        annotation = field.annotation
        if typing.get_origin(annotation) is list:
            item = schema_in(typing.get_args(annotation)[0])
            key = next((k for k in ("slug", "name") if item and k in item.model_fields), None)
            # A list of things with no name of their own (a follow-up's
            # assessments) has a download of its own instead.
            if key:
                result.append(Column(name, _join(name, key)))
            continue
        nested = schema_in(annotation)
        if nested is None:
            result.append(Column(name, _get(name)))
            continue
        for sub, sub_field in nested.model_fields.items():
            if schema_in(sub_field.annotation) is None and (
                typing.get_origin(sub_field.annotation) is not list
            ):
                result.append(Column(f"{name}_{sub}", _get(name, sub)))
    return result


_JSON = DjangoJSONEncoder()


def _cell(value: object) -> object:
    """A value as the JSON has it: ISO dates and times, true and false; None is empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | datetime):
        return _JSON.default(value)
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(
    request: HttpRequest,
    queryset: QuerySet,
    schema: type[Schema],
    filename: str,
    delimiter: str,
) -> StreamingHttpResponse:
    """The whole list, written row by row as the database hands it over."""
    cols = columns(schema)
    writer = csv.writer(_Echo(), delimiter=DELIMITERS[delimiter])
    context = {"request": request}
    dump = dumper(schema)

    def rows() -> Iterator[str]:
        yield "\ufeff" + writer.writerow([column.name for column in cols])
        for obj in queryset.iterator(chunk_size=CHUNK_SIZE):
            data = dump(obj, context)
            yield writer.writerow([_cell(column.value(data)) for column in cols])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
