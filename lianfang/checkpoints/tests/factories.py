from __future__ import annotations

from typing import Any

from lianfang.checkpoints.models import Checkpoint
from lianfang.core.scoping import Actor, Grant
from lianfang.people.tests.factories import resident_id
from lianfang.regions.models import Region


def make_checkpoint(code: str = "620105001001", name: str = "兰州西收费站") -> Checkpoint:
    region = Region.objects.get(code=code)
    return Checkpoint.objects.create(
        name=name, region=region, region_code=code, directions=["进城", "出城"]
    )


def officer(code: str = "620105001", user_id: int | None = None) -> Actor:
    return Actor(user_id=user_id, grants=(Grant("checkpoint_officer", code),))


def occupant(**overrides: Any) -> dict[str, Any]:
    data = {
        "full_name": "张三",
        "id_number": resident_id(),
        "phone": "13912345678",
        "temperature": "36.5",
        "health_code": "green",
        "symptoms": [],
        "outcome": "pass",
    }
    data.update(overrides)
    return data


def vehicle(*occupants: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "plate": "甘A12345",
        "vehicle_type": "car",
        "direction": "进城",
        "origin": "420100",
        "destination": "620105",
        "occupants": list(occupants) or [occupant()],
    }
    data.update(overrides)
    return data
