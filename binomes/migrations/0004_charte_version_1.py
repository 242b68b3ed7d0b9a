"""Version 1 of the charter of ethics and mutual commitments (the service's own wording)."""

import datetime

from django.db import migrations

TEXTE = """Charte de déontologie et d'engagements réciproques du mentorat

1. Confidentialité. Ce qui se dit entre le mentor et la personne mentorée reste entre eux. Ni l'un ni l'autre ne le rapporte à un tiers, y compris à leur hiérarchie ; seules les dates et les grands thèmes des rencontres sont notés dans le service.

2. Équité et absence d'enjeux. Le binôme n'a entre ses membres aucun lien hiérarchique, aucune relation d'évaluation, aucun enjeu de carrière ni intérêt personnel. Si un tel enjeu apparaît en cours d'année, chacun s'engage à le signaler sans délai à son ingénieur référent.

3. Engagement volontaire. Chacun participe librement. La personne mentorée prend l'initiative des rencontres ; le mentor se rend disponible aux dates convenues. Le binôme se rencontre de six à huit fois dans l'année, sans laisser passer plus de huit semaines entre deux rencontres.

4. Ouverture, bienveillance et respect. Chacun écoute l'autre sans jugement, respecte ses choix et sa manière d'exercer, et partage son expérience sans chercher à l'imposer.

5. Ce que le mentorat n'est pas. Il ne remplace ni le coaching, ni le tutorat, ni la formation ; il n'est ni un parrainage de carrière, ni un moyen de contourner la hiérarchie, ni une forme de favoritisme.

6. Fin de la relation. Le binôme s'arrête au terme de l'année. En cas d'arrêt anticipé, la personne qui le souhaite en informe d'abord son ingénieur référent ; le binôme tient une dernière rencontre puis répond au questionnaire de fin de binôme."""


def creer(apps, schema_editor):
    Charte = apps.get_model("binomes", "Charte")
    Charte.objects.get_or_create(version=1, defaults={"texte": TEXTE, "publiee_le": datetime.date(2024, 1, 1)})


class Migration(migrations.Migration):
    dependencies = [("binomes", "0003_arret_exclusions_proposition_charte")]

    operations = [migrations.RunPython(creer, migrations.RunPython.noop)]
