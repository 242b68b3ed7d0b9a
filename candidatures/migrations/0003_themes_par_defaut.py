from django.db import migrations

THEMES = [
    "Prise de poste et positionnement",
    "Management d'équipe",
    "Relations avec la communauté médicale",
    "Dialogue social",
    "Finances et budget",
    "Qualité et gestion des risques",
    "Coopérations territoriales et GHT",
    "Gestion de crise",
    "Conduite du changement",
    "Relations avec l'ARS et les tutelles",
    "Ressources humaines",
    "Équilibre des temps de vie",
]


def creer(apps, schema_editor):
    Theme = apps.get_model("candidatures", "Theme")
    for ordre, nom in enumerate(THEMES, start=1):
        Theme.objects.get_or_create(nom=nom, defaults={"ordre": ordre})


def supprimer(apps, schema_editor):
    apps.get_model("candidatures", "Theme").objects.filter(nom__in=THEMES, candidatures__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("candidatures", "0002_initial")]

    operations = [migrations.RunPython(creer, supprimer)]
