# No ``from __future__ import annotations``: django-ninja reads real annotations.
"""The benchmarks' baseline endpoint, mounted only when ``LIANFANG_BENCH=1``: a public JSON POST
through the same server, middleware and API stack that writes one row."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from lianfang.core.api import api_requires
from lianfang.core.permissions import PUBLIC
from lianfang.devtools.models import BenchWrite

router = Router(tags=["bench"])


class WriteIn(Schema):
    temperature: float = 36.5


class WriteOut(Schema):
    id: int


@router.post("/bench/write", auth=None, response={201: WriteOut})
@api_requires(PUBLIC)
def bench_write(request: HttpRequest, payload: WriteIn) -> Status[Any]:
    row = BenchWrite.objects.create()
    return Status(201, WriteOut(id=row.pk))
