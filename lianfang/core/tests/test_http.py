import os
import subprocess
import sys

import pytest
from django.conf import settings


@pytest.mark.django_db
def test_healthz_answers_when_the_database_is_reachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/accounts/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "<script>" not in response.content.decode()
    assert "style=" not in response.content.decode()


@pytest.mark.django_db
def test_english_is_available(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get("/accounts/login/")
    assert "Log in" in page.content.decode()


@pytest.mark.django_db
def test_openapi_and_docs_are_served_locally(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert "cdn" not in docs.content.decode().lower()


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "LIANFANG_ENVIRONMENT": "production",
        "LIANFANG_SECRET_KEY": "x" * 20 + "-production-secret-key-for-the-check-0123456789",
        "LIANFANG_ALLOWED_HOSTS": "lianfang.example.cn",
        "LIANFANG_VAR_DIR": str(tmp_path),
        "LIANFANG_DATA_KEYS": "p1:" + "cHJvZHVjdGlvbi1kYXRhLWtleS0wMDAwMDAwMDAwMDA=",
        "LIANFANG_INDEX_KEY": "cHJvZHVjdGlvbi1pbmRleC1rZXktMDAwMDAwMDAwMDA=",
        "LIANFANG_DISCIPLINE_KEYS": "d1:" + "cHJvZHVjdGlvbi1kaXNjaXBsaW5lLWtleS0wMDAwMDA=",
    }
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            str(settings.BASE_DIR / "manage.py"),
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_install_no_dev_tools_and_offer_no_demo_or_bench(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "LIANFANG_ENVIRONMENT": "production",
        "LIANFANG_SECRET_KEY": "x" * 20 + "-production-secret-key-for-the-check-0123456789",
        "LIANFANG_ALLOWED_HOSTS": "lianfang.example.cn",
        "LIANFANG_VAR_DIR": str(tmp_path),
        "LIANFANG_DATA_KEYS": "p1:" + "cHJvZHVjdGlvbi1kYXRhLWtleS0wMDAwMDAwMDAwMDA=",
        "LIANFANG_INDEX_KEY": "cHJvZHVjdGlvbi1pbmRleC1rZXktMDAwMDAwMDAwMDA=",
        "LIANFANG_DISCIPLINE_KEYS": "d1:" + "cHJvZHVjdGlvbi1kaXNjaXBsaW5lLWtleS0wMDAwMDA=",
    }
    script = (
        "import django, sys; django.setup(); from django.conf import settings; "
        "from django.core.management import get_commands; "
        "print(any('devtools' in a for a in settings.INSTALLED_APPS), "
        "sorted({'seed_demo', 'demo', 'bench', 'demo_accounts'} & set(get_commands())), "
        "sorted(m for m in sys.modules if m.startswith('lianfang.devtools')))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=False,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False [] []"


@pytest.mark.django_db
def test_database_url_selects_the_database():
    from django.db import connection

    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith("postgres") else "sqlite"
    assert connection.vendor == expected
