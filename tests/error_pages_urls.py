"""The project's URLs plus one view that fails, for the error-page tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns
from lianfang.core.permissions import PUBLIC
from lianfang.core.views import requires


@requires(PUBLIC)
def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug with 13812345678 in its message")


urlpatterns = [path("boom/", boom), *project_urlpatterns]
