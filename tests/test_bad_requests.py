"""Every 500 is a defect: requests the server cannot read answer 4xx — in the stable error body
``{code, message, fields}`` on API paths, the project's 400 page elsewhere — with DEBUG off as
in production."""

import pytest

from conftest import login_client

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"code", "message", "fields"}


def _error(response, status, code=None):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == ERROR_KEYS
    if code:
        assert body["code"] == code
    return body


@pytest.mark.parametrize("path", ["/api/v1/persons", "/api/v1/quarantines"])
def test_api_list_with_a_non_numeric_region_filter_is_400(client, world, path):
    login_client(client, world.users["community_worker"])
    body = _error(client.get(path, {"region": "A"}), 400, "invalid_region")
    assert "region" in body["fields"]


@pytest.mark.parametrize("path", ["/people/", "/monitoring/quarantines/"])
def test_page_with_a_non_numeric_region_filter_is_the_400_page(client, world, path):
    login_client(client, world.users["community_worker"])
    response = client.get(path, {"region": "A"})
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()


def test_page_with_a_numeric_region_filter_still_filters(client, world):
    login_client(client, world.users["community_worker"])
    assert client.get("/people/", {"region": "620105001001"}).status_code == 200


def test_import_with_a_multipart_body_without_boundary_is_400(client, world):
    login_client(client, world.users["community_worker"])
    response = client.post(
        "/api/v1/imports", data=b"--x\r\n\r\n", content_type="multipart/form-data"
    )
    _error(response, 400, "bad_request")


@pytest.mark.parametrize("kind", ["multipart/form-data", "text/plain", ""])
def test_json_operation_with_another_content_type_is_415(client, world, kind):
    login_client(client, world.users["community_worker"])
    response = client.post("/api/v1/persons", data=b'{"full_name": "x"}', content_type=kind)
    _error(response, 415, "unsupported_media_type")


def test_public_checkin_with_a_body_over_the_limit_is_413(client, world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(
        "/api/v1/checkin/sometoken",
        data=b'{"temperature": "36.5", "x": "' + b"a" * 2000 + b'"}',
        content_type="application/json",
    )
    _error(response, 413, "payload_too_large")


def test_api_errors_are_json_when_raised_before_a_view(rf, settings):
    from django.core.exceptions import RequestDataTooBig

    from lianfang.core.views import bad_request

    response = bad_request(rf.post("/api/v1/checkin/t"), RequestDataTooBig())
    assert response.status_code == 413
    page = bad_request(rf.get("/people/"), None)
    assert page.status_code == 400


def test_openapi_documents_the_generic_error_answers(client):
    schema = client.get("/api/v1/openapi.json").json()
    create = schema["paths"]["/api/v1/persons"]["post"]["responses"]
    assert {"400", "401", "404", "409", "413", "415", "422"} <= set(map(str, create))
    listing = schema["paths"]["/api/v1/persons"]["get"]["responses"]
    assert {"400", "401", "404", "422"} <= set(map(str, listing)) and "415" not in listing


def test_page_with_a_multipart_body_without_boundary_is_the_400_page(client, world):
    login_client(client, world.users["community_worker"])
    response = client.post(
        "/people/imports/", data=b"--x\r\n\r\n", content_type="multipart/form-data"
    )
    assert response.status_code == 400 and "请求有误" in response.content.decode()


def test_page_with_a_body_over_the_limit_is_the_400_page(client, world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    login_client(client, world.users["community_worker"])
    response = client.post("/people/", {"search": "1", "q": "a" * 2000})
    assert response.status_code == 400 and "请求有误" in response.content.decode()
