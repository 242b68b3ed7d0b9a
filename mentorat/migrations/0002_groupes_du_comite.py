from django.db import migrations

GROUPES = ["Pilote", "Ingénieur en mentorat"]


def creer_groupes(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for nom in GROUPES:
        Group.objects.get_or_create(name=nom)


def supprimer_groupes(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPES).delete()


class Migration(migrations.Migration):
    dependencies = [("mentorat", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(creer_groupes, supprimer_groupes)]
