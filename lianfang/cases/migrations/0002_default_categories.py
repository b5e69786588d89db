from django.db import migrations


def add_defaults(apps, schema_editor):
    from lianfang.cases.defaults import seed

    seed(apps.get_model("cases", "Category"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
