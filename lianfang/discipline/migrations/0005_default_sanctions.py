from django.db import migrations


def add_defaults(apps, schema_editor):
    from lianfang.discipline.defaults import seed_sanctions

    seed_sanctions(apps.get_model("discipline", "Sanction"))


class Migration(migrations.Migration):
    dependencies = [("discipline", "0004_cases")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
