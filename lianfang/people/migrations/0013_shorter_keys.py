"""Blind indexes and import keys become 128 bits (32 hex digits, ADR 0008): stored values are
cut to their first 32 digits, which is what the new code computes. The outcome rows lose their
index on person (never read that way)."""

import django.db.models.deletion
from django.db import migrations, models

SHORTEN = [
    "UPDATE people_person SET id_number_bidx = substr(id_number_bidx, 1, 32)"
    " WHERE length(id_number_bidx) > 32",
    "UPDATE people_person SET phone_bidx = substr(phone_bidx, 1, 32) WHERE length(phone_bidx) > 32",
    "UPDATE people_registration SET import_key = substr(import_key, 1, 32)"
    " WHERE length(import_key) > 32",
]


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0012_sweep_assignment"),
    ]

    operations = [
        migrations.AlterField(
            model_name="importrow",
            name="person",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="people.person",
            ),
        ),
        *(migrations.RunSQL(sql, migrations.RunSQL.noop) for sql in SHORTEN),
    ]
