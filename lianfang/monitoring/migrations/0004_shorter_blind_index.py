"""Blind indexes become 128 bits (32 hex digits, ADR 0008): stored values are cut to their first
32 digits, which is what the new code computes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0003_lean_healthcheck_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            "UPDATE monitoring_observation SET checkin_token_bidx = substr(checkin_token_bidx, 1, 32)"
            " WHERE length(checkin_token_bidx) > 32",
            migrations.RunSQL.noop,
        ),
    ]
