"""Entry points of the import's parsing processes (spawned). This module imports nothing from
Django models at import time: the child unpickles these functions before Django is set up."""

from __future__ import annotations

from typing import Any

_STATE: dict[str, Any] = {}


def init(mapping: dict[str, int], router_data: Any, data_keys: str, index_key: str) -> None:
    import django
    from django.conf import settings

    django.setup()
    settings.LIANFANG_DATA_KEYS, settings.LIANFANG_INDEX_KEY = data_keys, index_key
    from lianfang.core import crypto

    crypto._current.clear()
    from lianfang.people.importer import Router

    _STATE.update(mapping=mapping, router=Router.from_data(router_data))


def parse(batch: list[tuple[int, list[Any]]]) -> list[Any]:
    from lianfang.people.importer import parse_batch

    return parse_batch(batch, _STATE["mapping"], _STATE["router"])
