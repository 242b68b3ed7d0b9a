"""The worker's health check: database, broker, the outbox's oldest due e-mail (see README, "Courriels")."""

import json

from django.core.management.base import BaseCommand, CommandError

from mentorat import surveillance


class Command(BaseCommand):
    help = "Vérifie la base, le broker et le retard de la boîte d'envoi ; code de sortie 1 en cas de problème."

    def add_arguments(self, parser):
        parser.add_argument(
            "--retard-max",
            type=int,
            default=None,
            help="Échoue si un courriel attend depuis plus de ce nombre de secondes après son heure d'envoi.",
        )

    def handle(self, *args, retard_max: int | None, **options):
        rapport = surveillance.sante()
        self.stdout.write(json.dumps(rapport, ensure_ascii=False))
        if rapport["statut"] != "ok":
            raise CommandError("Base ou broker injoignable.")
        retard = rapport.get("courriels", {}).get("retard_secondes", 0)
        if retard_max is not None and retard > retard_max:
            raise CommandError(f"Un courriel attend depuis {retard} s après son heure d'envoi.")
