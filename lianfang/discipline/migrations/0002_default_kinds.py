from django.db import migrations


def add_defaults(apps, schema_editor):
    from lianfang.discipline.defaults import seed

    seed(apps.get_model("discipline", "Kind"))


class Migration(migrations.Migration):
    dependencies = [("discipline", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
