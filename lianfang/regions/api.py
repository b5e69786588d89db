# No ``from __future__ import annotations``: django-ninja reads real annotations.
from ninja import Query, Router, Schema

from lianfang.core.api import AUTH, ERRORS, api_requires
from lianfang.core.errors import InvalidInput
from lianfang.core.regioncode import is_valid_code
from lianfang.core.scoping import ActorRequest
from lianfang.regions import selectors
from lianfang.regions.models import Region
from lianfang.regions.permissions import VIEW_REGION

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None
    is_active: bool

    @staticmethod
    def of(region: Region) -> "RegionOut":
        return RegionOut(
            code=region.code,
            name=region.name,
            level=region.level,
            parent_code=region.code[:-3] if region.parent_id else None,
            is_active=region.is_active,
        )


class RegionFilter(Schema):
    parent: str | None = None


def _check_code(code: str, field: str) -> None:
    if not is_valid_code(code):
        raise InvalidInput(
            "invalid_code", "Region codes have 6, 9, 12 or 15 digits.", {field: ["invalid"]}
        )


@router.get(
    "/regions",
    auth=AUTH,
    response={200: list[RegionOut], **ERRORS},
    summary="The children of `parent` visible to the caller (404 when out of scope); "
    "without `parent`, the caller's top regions",
)
@api_requires(VIEW_REGION)
def list_regions(request: ActorRequest, filters: Query[RegionFilter]) -> list[RegionOut]:
    if filters.parent is not None:
        _check_code(filters.parent, "parent")
    regions = selectors.children_for_api(request.actor, filters.parent)
    return [RegionOut.of(r) for r in regions]


@router.get("/regions/{code}", auth=AUTH, response={200: RegionOut, **ERRORS}, summary="One region")
@api_requires(VIEW_REGION)
def get_region(request: ActorRequest, code: str) -> RegionOut:
    _check_code(code, "code")
    return RegionOut.of(selectors.get_region(request.actor, code))
