from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from mentorat.demo import COMITE, MOT_DE_PASSE_DEMO, creer_monde

# Each app's demo step, in dependency order; a step an app does not have yet is skipped.
ETAPES = ["candidatures.demo", "binomes.demo", "suivi.demo", "evaluation.demo"]


class Command(BaseCommand):
    help = "Remplit la base avec des données de démonstration fictives (sans doublon si relancée)."

    def handle(self, *args, **options):
        with transaction.atomic():
            monde = creer_monde()
            for etape in ETAPES:
                try:
                    module = import_module(etape)
                except ModuleNotFoundError as erreur:
                    if erreur.name != etape:
                        raise
                    continue
                module.peupler(monde)
        self.stdout.write(self.style.SUCCESS(f"Démonstration prête : promotion courante {monde.courante.nom}."))
        self.stdout.write(f"Comptes du comité (mot de passe « {MOT_DE_PASSE_DEMO} ») :")
        for email, prenom, nom, groupe in COMITE:
            self.stdout.write(f"  {email:<36} {prenom} {nom} — {groupe}")
