"""With DEBUG on (the demo) errors answer with the project's own pages, never Django's technical
pages (which list every URL pattern, settings and local variables)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug(settings):
    settings.DEBUG = True


def test_an_unknown_path_answers_the_projects_404_without_the_url_patterns(client):
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body and "返回首页" in body
    assert (
        "URLconf" not in body and "accounts/login/" not in body and "&lt;str:token&gt;" not in body
    )


def test_a_404_raised_by_a_view_answers_the_projects_page(client):
    response = client.get("/r/not-a-token/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_the_404_page_is_translated(client):
    response = client.get("/no-such-page/", headers={"accept-language": "en"})
    assert "The page does not exist" in response.content.decode()


@pytest.mark.urls("tests.error_pages_urls")
def test_a_failing_view_answers_the_projects_500_and_logs_the_traceback_redacted(caplog):
    response = Client(raise_request_exception=False).get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "系统出错" in body
    assert "Traceback" not in body and "RuntimeError" not in body and "SECRET_KEY" not in body
    assert "RuntimeError" in caplog.text and "Internal Server Error: /boom/" in caplog.text
    assert "13812345678" not in caplog.text  # the project's filter ran on the traceback too


def test_production_mode_keeps_django_handling(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()
