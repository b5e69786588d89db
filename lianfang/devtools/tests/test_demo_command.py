"""``lianfang serve`` and ``lianfang demo``: what reaches the console, where gunicorn's control
socket goes."""

import io

from django.core.management import call_command

from lianfang.core import notifications


def test_demo_prints_the_logins_last_once_the_server_is_up_and_no_notification(
    monkeypatch, settings, tmp_path, capsys
):
    from lianfang.devtools.management.commands import demo

    settings.VAR_DIR = tmp_path
    out = io.StringIO()

    def fake_call_command(name, **options):
        if name == "seed_demo":  # seeding sends notifications (alerts, overdue hand-overs)
            notifications.send([notifications.Message(kind="alert.fever", text="发热 张**")])
        elif name == "demo_accounts":
            out.write("LOGINS\n")

    def fake_run_services(*, stdout, env, background_log, on_ready, **kwargs):
        stdout.write("web up")
        assert env["LIANFANG_NOTIFICATIONS"] == f"file:{tmp_path / 'demo-notifications.jsonl'}"
        assert background_log.parent == tmp_path
        on_ready()

    monkeypatch.setattr(demo, "call_command", fake_call_command)
    monkeypatch.setattr(demo, "run_services", fake_run_services)
    call_command("demo", port=8137, stdout=out)
    console = out.getvalue() + capsys.readouterr().err
    assert console.index("web up") < console.index("LOGINS")
    assert console.rstrip().endswith("LOGINS")
    assert "alert.fever" not in console and "发热" not in console
    assert "alert.fever" in (tmp_path / "demo-notifications.jsonl").read_text(encoding="utf-8")
