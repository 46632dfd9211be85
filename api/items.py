"""An item of the API as plain data: what ninja's validation of its schema gives, faster.

Validating a page of a hundred activities through ninja reads every field
through its ``DjangoGetter`` and then dumps the model again: about a fifth
of the API list's time at a million activities. The schemas here are of our
own making and read our own models, so each field can be read directly: a
resolver where the schema has one, an attribute otherwise, a nested schema
by the same rule. ``dumper(schema)`` builds that reader once per schema.

It gives the same dict as ``schema.from_orm(obj, context=...).model_dump()``
(``tests/api/test_items.py`` compares them for every list the API has), and
refuses, when the schema is read, a field of a kind it does not know, and
an alias, a default, a validator or a computed field, so that nothing a
schema gains later can slip through unconverted. It checks no values: the
schemas read the models' own fields, which the database keeps in shape.
"""

import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from typing import Any, Literal

from django.db.models import Manager
from ninja import Schema

Dump = Callable[[Any, dict], dict]

# Values that pass through as the model holds them.
_PLAIN = (int, str, bool, date, datetime)


def _without_none(annotation):
    """The annotation without ``| None``."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        inner = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(inner) == 1:
            return inner[0]
    return annotation


def schema_in(annotation) -> type[Schema] | None:
    """The schema a field holds, itself or as an optional value."""
    annotation = _without_none(annotation)
    return annotation if isinstance(annotation, type) and issubclass(annotation, Schema) else None


def _converter(name: str, annotation) -> Callable[[Any, dict], Any] | None:
    """How a field's value becomes what the schema holds; None when it stays as it is."""
    annotation = _without_none(annotation)
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        nested = schema_in(item)
        if nested is None:
            raise TypeError(f"{name}: a list of {item!r} is not a kind of field items know")
        dump = dumper(nested)
        return lambda value, context: [
            dump(one, context) for one in (value.all() if isinstance(value, Manager) else value)
        ]
    nested = schema_in(annotation)
    if nested is not None:
        dump = dumper(nested)
        return lambda value, context: None if value is None else dump(value, context)
    if annotation is float:
        return lambda value, context: None if value is None else float(value)
    if annotation in _PLAIN or typing.get_origin(annotation) is Literal:
        return None
    raise TypeError(f"{name}: {annotation!r} is not a kind of field items know")


def _check(schema: type[Schema]) -> None:
    """Refuse what validation would do and a direct read would not: aliases, defaults,
    validators, serializers and computed fields."""
    decorators = schema.__pydantic_decorators__
    validators = set(decorators.model_validators) - {"_run_root_validator"}
    extras = [*validators, *decorators.field_validators, *decorators.computed_fields] + [
        *decorators.field_serializers,
        *decorators.model_serializers,
    ]
    if extras:
        raise TypeError(f"{schema.__name__}: {extras} are not things items know")
    for name, field in schema.model_fields.items():
        if field.alias or field.validation_alias or not field.is_required():
            raise TypeError(
                f"{schema.__name__}.{name}: an alias or a default is not a kind of field items know"
            )


@cache
def dumper(schema: type[Schema]) -> Dump:
    """A function from a model instance (and the context: the request) to the item's dict."""
    _check(schema)
    steps = []
    for name, field in schema.model_fields.items():
        resolver = schema._ninja_resolvers.get(name)
        if resolver is not None:
            read = (
                (lambda obj, context, f=resolver._func: f(obj, context=context))
                if resolver._takes_context
                else (lambda obj, context, f=resolver._func: f(obj))
            )
        else:
            read = lambda obj, context, name=name: getattr(obj, name)  # noqa: E731
        steps.append((name, read, _converter(f"{schema.__name__}.{name}", field.annotation)))

    def dump(obj: Any, context: dict) -> dict:
        data = {}
        for name, read, convert in steps:
            value = read(obj, context)
            data[name] = value if convert is None else convert(value, context)
        return data

    return dump
