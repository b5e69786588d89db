"""How the project starts gunicorn (``lianfang serve``, the demo, the benchmarks)."""

from __future__ import annotations

import time
import urllib.error
import urllib.request

from django.conf import settings

# The longest path a Unix socket takes (sun_path is 108 bytes on Linux, with its terminator).
_MAX_SOCKET_PATH = 107


def control_socket_args(port: int) -> list[str]:
    """gunicorn's control socket under var/, one per port: its default ($HOME/.gunicorn/ or
    $XDG_RUNTIME_DIR) is shared by every gunicorn of the user, so a second demo took over the
    first one's. Off when var/ is too deep for a socket path."""
    path = settings.VAR_DIR / f"gunicorn-{port}.ctl"
    if len(str(path).encode()) > _MAX_SOCKET_PATH:
        return ["--no-control-socket"]
    return ["--control-socket", str(path)]


def wait_until_answering(host: str, port: int, timeout: float = 60) -> bool:
    """Whether a web worker answers on ``host:port`` within ``timeout`` seconds. Any HTTP answer
    counts (production answers a request for 127.0.0.1 with 400): a worker has booted."""
    deadline = time.monotonic() + timeout
    url = f"http://{host}:{port}/healthz"
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return True
        except urllib.error.HTTPError:
            return True
        except (OSError, urllib.error.URLError):
            time.sleep(0.3)
    return False
