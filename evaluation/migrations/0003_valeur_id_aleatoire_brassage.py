"""Random ids for `Valeur` (a sequence would tell in which order people answered), and the
flag of the shuffle done at closing.

Existing rows keep working: the id goes from integer to text and each row gets a random
hexadecimal id; the next migration makes the column a UUID (in its own transaction:
PostgreSQL refuses to alter a table with pending deferred foreign-key checks).
"""

import uuid

from django.db import migrations, models


def ids_aleatoires(apps, schema_editor):
    Valeur = apps.get_model("evaluation", "Valeur")
    # `Valeur` has no incoming foreign key: its primary key may be rewritten in place.
    for ancien in list(Valeur.objects.values_list("id", flat=True)):
        Valeur.objects.filter(id=ancien).update(id=uuid.uuid4().hex)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0002_questions_par_defaut")]

    operations = [
        migrations.AddField(
            model_name="campagne",
            name="reponses_brassees",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="réponses réécrites dans le désordre"
            ),
        ),
        migrations.AlterField(
            model_name="valeur",
            name="id",
            field=models.CharField(max_length=32, primary_key=True, serialize=False),
        ),
        migrations.RunPython(ids_aleatoires, migrations.RunPython.noop),
    ]
