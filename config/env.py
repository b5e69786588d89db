"""Configuration read from the environment (pydantic-settings). See README "Configuration"."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

BASE_DIR = Path(__file__).resolve().parent.parent
# Development only: production refuses to start with it (config/settings.py).
# Development and test keys for personal data at rest (lianfang/core/crypto.py); production
# refuses them as well.
DEV_DATA_KEYS = "dev1:bGlhbmZhbmctZGV2ZWxvcG1lbnQtZGF0YS1rZXktMDE="
DEV_INDEX_KEY = "bGlhbmZhbmctZGV2ZWxvcG1lbnQtaW5kZXgta2V5LTE="
DEV_DISCIPLINE_KEYS = "ddev1:bGlhbmZhbmctZGV2LWRpc2NpcGxpbmUta2V5LTAwMDE="
DEV_SECRET_KEY = "dev-insecure-secret-key-change-me-0123456789-abcdefghijklmnop"  # noqa: S105


class Env(BaseSettings):
    """Every setting an operator may change. Names are the environment variables, prefix LIANFANG_
    except DATABASE_URL and PORT, which keep their conventional names."""

    model_config = SettingsConfigDict(env_prefix="LIANFANG_", extra="ignore")

    environment: str = "development"  # development | production
    secret_key: str = DEV_SECRET_KEY
    allowed_hosts: str = "127.0.0.1,localhost"
    csrf_trusted_origins: str = ""
    # Reverse proxies whose X-Forwarded-For is believed (addresses or CIDRs, comma-separated):
    # the client address of rate limits, lockout and logs (lianfang/core/clientaddr.py).
    trusted_proxies: str = ""
    var_dir: Path = BASE_DIR / "var"
    token_days: int = 30
    session_hours: int = 12
    lockout_failures: int = 5
    lockout_minutes: int = 15
    log_level: str = "INFO"
    data_keys: str = ""  # kid:base64key,... (see lianfang/core/crypto.py); dev keys when empty
    index_key: str = ""  # base64 32-byte blind-index key; dev key when empty
    # kid:base64key,... for the discipline office's secrets (reporters, facts), apart from the
    # personal-data keys (lianfang/discipline/secrecy.py); dev keys when empty
    discipline_keys: str = ""
    # Where notifications go: console | file:/path/to/file.jsonl | memory | sms (see
    # lianfang/core/notifications.py). Console and file never carry a phone number.
    notifications: str = "console"
    sms_gateway: str = ""  # dotted path of an SmsGateway class, for notifications=sms
    bench: bool = False  # serve the benchmark's baseline endpoint (make bench only)


class ProcessEnv(BaseSettings):
    """Variables without the LIANFANG_ prefix."""

    model_config = SettingsConfigDict(extra="ignore")

    database_url: str = ""
    port: int = 8000


env = Env()
process_env = ProcessEnv()
