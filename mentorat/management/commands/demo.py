import logging
from contextlib import contextmanager

from django.conf import settings
from django.core.mail.backends.dummy import EmailBackend as SansEnvoi
from django.core.management.base import BaseCommand
from django.db import transaction

import binomes.demo
import candidatures.demo
import evaluation.demo
import suivi.demo
from binomes.models import Binome, StatutBinome
from candidatures.models import Candidature, Statut
from mentorat import emails
from mentorat.demo import COMITE, MOT_DE_PASSE_DEMO, creer_monde

# Each app's demo step, in dependency order.
ETAPES = [candidatures.demo, binomes.demo, suivi.demo, evaluation.demo]


class Compteur(SansEnvoi):
    """Drops the demo's e-mails and counts them."""

    nombre = 0

    def send_messages(self, email_messages):
        self.nombre += len(email_messages)
        return len(email_messages)


@contextmanager
def _journal_des_taches_discret():
    """The eager Celery tasks of the demo log a line each at INFO; they would bury the accounts to use."""
    journal = logging.getLogger("celery.app.trace")
    niveau = journal.level
    journal.setLevel(logging.WARNING)
    try:
        yield
    finally:
        journal.setLevel(niveau)


class Command(BaseCommand):
    help = "Remplit la base avec des données de démonstration fictives (sans doublon si relancée)."

    def handle(self, *args, **options):
        # The demo goes through the real services, which send a few hundred e-mails (acknowledgements,
        # introductions, invitations): written to COURRIELS_FICHIER when set, otherwise counted, never
        # printed where they would bury the accounts to use.
        fichier = settings.COURRIELS_FICHIER
        connexion = emails.FichierLisible(fichier) if fichier else Compteur()
        with _journal_des_taches_discret(), emails.vers(connexion), transaction.atomic():
            monde = creer_monde()
            for etape in ETAPES:
                etape.peupler(monde)

        self.stdout.write(self.style.SUCCESS(f"Démonstration prête : promotion courante {monde.courante.nom}."))
        if fichier:
            self.stdout.write(f"{connexion.nombre} courriels de démonstration écrits dans {fichier}.")
        elif connexion.nombre:
            self.stdout.write(f"{connexion.nombre} courriels de démonstration générés (non affichés).")
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
        en_attente = (
            Candidature.objects.filter(promotion=monde.courante)
            .en_liste_attente()
            .select_related("utilisateur")
            .first()
        )
        if en_attente:
            rang = en_attente.rang_attente
            yield en_attente.utilisateur.email, f"sur liste d'attente, rang {rang} ({monde.courante.nom})"
