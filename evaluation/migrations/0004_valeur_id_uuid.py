import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0003_valeur_id_aleatoire_brassage")]

    operations = [
        migrations.AlterField(
            model_name="valeur",
            name="id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False),
        ),
    ]
