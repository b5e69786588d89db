"""The first policy version (effective 2020-01-01): national protocol editions 3–6 — 14 days
from the last exposure, fever at ≥ 37.3 °C, two checks a day, the protocol's symptom list."""

from datetime import date
from decimal import Decimal

from django.db import migrations


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    Policy = apps.get_model("monitoring", "Policy")
    if not Policy.objects.exists():
        Policy.objects.create(
            name="第三至六版诊疗方案：14 天，37.3 °C，每日两次",
            effective_from=date(2020, 1, 1),
            observation_days=14,
            start_basis="last_exposure",
            fever_threshold=Decimal("37.3"),
            fever_inclusive=True,
            slots=[["06:00", "12:00"], ["12:00", "20:00"]],
            symptoms=[
                "fever",
                "cough",
                "shortness_of_breath",
                "dry_cough",
                "fatigue",
                "sore_throat",
                "loss_of_smell_taste",
                "diarrhoea",
                "conjunctivitis",
                "muscle_pain",
            ],
            missed_grace_minutes=60,
            escalate_after_minutes=120,
            release_needs_normal_check=True,
        )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
