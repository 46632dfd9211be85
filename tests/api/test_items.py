"""The API's items, read directly (api/items.py), are what ninja's validation makes of them."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from ninja import Field, Schema
from ninja.responses import NinjaJSONEncoder
from pydantic import computed_field, field_validator

from activities.models import Activity
from api.items import dumper
from api.schemas import ActivityOut
from api.v1 import RESOURCES

RESOURCES_BY_PATH = {resource.path: resource for resource in RESOURCES}


@pytest.fixture
def demo(db):
    call_command("load_demo", force=True, stdout=StringIO())


def _json(data) -> str:
    # As the answer has it: a float and an int that are equal in Python differ here.
    return json.dumps(data, cls=NinjaJSONEncoder, ensure_ascii=False)


def test_every_item_of_every_list_is_what_its_schema_makes_of_it(demo, rf):
    # (One test over every list: the demo is loaded once.)
    for resource in RESOURCES:
        request = rf.get(f"/api/v1/{resource.path}")
        context = {"request": request}
        dump = dumper(resource.item)
        items = list(resource.queryset())
        assert items, f"the demo has no {resource.path}: nothing would be compared"
        for obj in items:
            expected = resource.item.from_orm(obj, context=context).model_dump()
            assert _json(dump(obj, context)) == _json(expected), resource.path


def test_a_list_answer_has_the_items_its_schema_gives(demo, client, rf):
    answer = client.get("/api/v1/activities?limit=50&offset=10").json()
    context = {"request": rf.get("/api/v1/activities")}
    expected = [
        ActivityOut.from_orm(obj, context=context).model_dump()
        for obj in RESOURCES_BY_PATH["activities"].queryset()[10:60]
    ]
    assert len(answer["items"]) == 50
    assert answer["items"] == json.loads(_json(expected))
    assert answer["count"] == Activity.objects.public().count()
    assert answer["next"].endswith("offset=60") and answer["previous"].endswith("offset=0")


def test_a_field_of_an_unknown_kind_is_refused_when_the_schema_is_read():
    class WithAmount(Schema):
        amount: Decimal

    class WithMapping(Schema):
        names: dict[str, str]

    class WithDefault(Schema):
        name: str = "okänd"

    class WithAlias(Schema):
        name: str = Field(alias="namn")

    for schema in (WithAmount, WithMapping, WithDefault, WithAlias):
        with pytest.raises(TypeError, match="not a kind of field items know"):
            dumper(schema)


def test_a_validator_or_a_computed_field_is_refused_when_the_schema_is_read():
    class WithValidator(Schema):
        name: str

        @field_validator("name")
        @classmethod
        def stripped(cls, value: str) -> str:
            return value.strip()

    class WithComputed(Schema):
        name: str

        @computed_field
        @property
        def shout(self) -> str:
            return self.name.upper()

    for schema in (WithValidator, WithComputed):
        with pytest.raises(TypeError, match="not things items know"):
            dumper(schema)


def test_each_activity_has_its_own_address_on_the_site(demo, rf):
    # Made once per promise and answer, then completed with each activity's id.
    request = rf.get("/api/v1/activities")
    context = {"request": request}
    dump = dumper(ActivityOut)
    activities = list(RESOURCES_BY_PATH["activities"].queryset())
    assert len({activity.commitment.promise.pk for activity in activities}) > 1
    for activity in activities:
        expected = request.build_absolute_uri(activity.get_absolute_url())
        assert dump(activity, context)["url"] == expected
