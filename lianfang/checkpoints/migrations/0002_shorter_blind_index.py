"""Blind indexes become 128 bits (32 hex digits, ADR 0008): stored values are cut to their first
32 digits, which is what the new code computes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("checkpoints", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            "UPDATE checkpoints_occupant SET id_number_bidx = substr(id_number_bidx, 1, 32)"
            " WHERE length(id_number_bidx) > 32",
            migrations.RunSQL.noop,
        ),
    ]
