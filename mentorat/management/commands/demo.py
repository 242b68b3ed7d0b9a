import logging
from contextlib import contextmanager
from importlib import import_module

from django.core import mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from binomes.models import Binome, StatutBinome
from candidatures.models import Candidature, Statut
from mentorat.demo import COMITE, MOT_DE_PASSE_DEMO, creer_monde

# Each app's demo step, in dependency order; a step an app does not have yet is skipped.
ETAPES = ["candidatures.demo", "binomes.demo", "suivi.demo", "evaluation.demo"]


@contextmanager
def _sans_courriels_ni_journal_des_taches():
    """Keeps the demo's e-mails in memory and its tasks' log quiet.

    The demo goes through the real services, which send a few hundred e-mails (acknowledgements,
    introductions, invitations); printed to the console they would bury the accounts to use.
    """
    journal = logging.getLogger("celery.app.trace")
    niveau = journal.level
    journal.setLevel(logging.WARNING)
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            mail.outbox = []
            yield
    finally:
        journal.setLevel(niveau)


class Command(BaseCommand):
    help = "Remplit la base avec des données de démonstration fictives (sans doublon si relancée)."

    def handle(self, *args, **options):
        with _sans_courriels_ni_journal_des_taches():
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
            # Counted once the transaction has committed: most e-mails leave on commit.
            envoyes = len(mail.outbox)

        self.stdout.write(self.style.SUCCESS(f"Démonstration prête : promotion courante {monde.courante.nom}."))
        if envoyes:
            self.stdout.write(f"{envoyes} courriels de démonstration générés (non affichés).")
        self.stdout.write(f"Comptes (mot de passe « {MOT_DE_PASSE_DEMO} ») :")
        for email, prenom, nom, groupe in COMITE:
            self.stdout.write(f"  {email:<48} {prenom} {nom} — {groupe}")
        for email, role in self._participants(monde):
            self.stdout.write(f"  {email:<48} {role}")

    def _participants(self, monde):
        """A member of each side of an active pair, and an applicant of the open promotion."""
        binome = (
            Binome.objects.filter(promotion=monde.en_cours, statut=StatutBinome.ACTIF)
            .select_related("mentor__utilisateur", "mentore__utilisateur")
            .order_by("pk")
            .first()
        )
        if binome:
            yield binome.mentore.utilisateur.email, f"mentoré·e d’un binôme actif ({monde.en_cours.nom})"
            yield binome.mentor.utilisateur.email, f"mentor du même binôme ({monde.en_cours.nom})"
        candidat = (
            Candidature.objects.filter(promotion=monde.courante, statut=Statut.SOUMISE)
            .select_related("utilisateur")
            .order_by("pk")
            .first()
        )
        if candidat:
            yield candidat.utilisateur.email, f"candidature en cours d'étude ({monde.courante.nom})"
