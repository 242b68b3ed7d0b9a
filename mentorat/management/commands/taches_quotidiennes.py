from django.core.management.base import BaseCommand

from mentorat import quotidien


class Command(BaseCommand):
    help = (
        "Exécute une fois, dans l'ordre, les tâches quotidiennes du programme (activation, fin d'année, "
        "signalements, relances, questionnaires)."
    )

    def handle(self, *args, **options):
        for nom, resultat in quotidien.executer().items():
            self.stdout.write(f"{nom} : {resultat}")
