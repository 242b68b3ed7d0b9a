from django.db import migrations

QUESTIONS = [
    ("engagement", "Comment évaluez-vous votre propre engagement dans le programme ?",
     "1 : très faible — 5 : très fort", "echelle", True),
    ("satisfaction", "Quelle est votre satisfaction globale à l'égard du programme ?",
     "1 : pas du tout satisfait — 5 : très satisfait", "echelle", True),
    ("relation", "Comment jugez-vous la qualité de la relation de mentorat proposée par le programme ?",
     "1 : très insatisfaisante — 5 : excellente", "echelle", True),
    ("thematiques", "Les sujets que vous souhaitiez travailler ont-ils pu être abordés ?",
     "1 : aucun — 5 : tous", "echelle", True),
    ("apprentissages", "Qu'est-ce que le programme vous a apporté ou appris ?",
     "Sans nommer personne ni rapporter le contenu des échanges.", "texte", False),
    ("recommandation", "Recommanderiez-vous le programme à un ou une collègue ?", "", "oui_non", True),
    ("suggestions", "Avez-vous des suggestions pour améliorer le programme ?",
     "Sans nommer personne ni rapporter le contenu des échanges.", "texte", False),
]


def creer(apps, schema_editor):
    Question = apps.get_model("evaluation", "Question")
    for ordre, (code, intitule, aide, type_, obligatoire) in enumerate(QUESTIONS, start=1):
        Question.objects.get_or_create(
            code=code,
            defaults={"intitule": intitule, "aide": aide, "type": type_, "obligatoire": obligatoire, "ordre": ordre},
        )


def supprimer(apps, schema_editor):
    apps.get_model("evaluation", "Question").objects.filter(code__in=[q[0] for q in QUESTIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]
    operations = [migrations.RunPython(creer, supprimer)]
