from django.urls import include, path

from config.api import api
from lianfang.cases.urls import public_urlpatterns as cases_public
from lianfang.core.views import healthz
from lianfang.monitoring.urls import public_urlpatterns as monitoring_public
from lianfang.people.urls import public_urlpatterns as people_public

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("", include("lianfang.accounts.urls")),
    path("", include("lianfang.regions.urls")),
    path("", include("lianfang.people.urls")),
    path("", include("lianfang.monitoring.urls")),
    path("", include("lianfang.checkpoints.urls")),
    path("", include("lianfang.cases.urls")),
    path("", include("lianfang.discipline.urls")),
    path("", include("lianfang.reporting.urls")),
    *people_public,
    *monitoring_public,
    *cases_public,
]

handler400 = "lianfang.core.views.bad_request"
