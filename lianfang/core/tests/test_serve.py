"""``lianfang serve`` and ``lianfang demo``: what reaches the console, where gunicorn's control
socket goes."""

import io

import pytest
from django.core.management import call_command

from lianfang.core.webserver import control_socket_args


def test_gunicorn_control_socket_is_under_var_one_per_port(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    assert control_socket_args(8137) == ["--control-socket", str(tmp_path / "gunicorn-8137.ctl")]
    assert control_socket_args(8138) != control_socket_args(8137)


def test_a_var_dir_too_deep_for_a_socket_turns_the_control_socket_off(settings, tmp_path):
    settings.VAR_DIR = tmp_path / ("d" * 120)
    assert control_socket_args(8000) == ["--no-control-socket"]


def test_serve_starts_gunicorn_with_its_control_socket_under_var(monkeypatch, settings, tmp_path):
    from lianfang.core.management.commands import serve

    settings.VAR_DIR = tmp_path
    started = []

    class Stopped(Exception):
        pass

    def popen(cmd, **kwargs):
        started.append(cmd)
        if len(started) == 3:
            raise Stopped  # enough: the three command lines are known
        return type(
            "P",
            (),
            {
                "poll": lambda self: None,
                "terminate": lambda self: None,
                "wait": lambda self, timeout=None: 0,
            },
        )()

    monkeypatch.setattr(f"{serve.__name__}.subprocess.Popen", popen)
    with pytest.raises(Stopped):
        call_command("serve", port=8137, stdout=io.StringIO())
    web = started[0]
    assert web[web.index("--control-socket") + 1] == str(tmp_path / "gunicorn-8137.ctl")
