"""Time the synthesis PDF of a campaign with many responses, and the shuffle of its responses at
closing, in a database of its own (`mentorat.mesures.base_de_mesure`: created, migrated, then dropped)."""

import datetime
import random
import time

from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.utils import timezone

from candidatures.models import Role
from evaluation.models import Campagne, Question, Reponse, TypeCampagne, TypeQuestion, Valeur
from evaluation.pdf import synthese_pdf
from evaluation.services import brasser_reponses
from evaluation.synthese import cle_de_cache
from mentorat.mesures import base_de_mesure
from mentorat.models import Corps, Promotion


class Command(BaseCommand):
    help = (
        "Mesure, dans une base de mesure créée puis supprimée, le rendu du PDF de synthèse d'une campagne "
        "de N réponses et leur réécriture dans le désordre à la clôture."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reponses", type=int, default=1600)

    def handle(self, *args, reponses: int, **options):
        with base_de_mesure() as nom:
            campagne = self._campagne(reponses)
            # The first render also imports WeasyPrint (a fresh worker); the second is a warm one.
            durees = []
            for _ in range(2):
                # Each render computes the figures: none read from the cache the synthesis page fills.
                cache.delete(f"synthese:{cle_de_cache(campagne)}")
                debut = time.perf_counter()
                pdf = synthese_pdf(campagne)
                durees.append(time.perf_counter() - debut)
            debut = time.perf_counter()
            brasser_reponses(campagne_id=campagne.pk)
            brassage = time.perf_counter() - debut
        self.stdout.write(f"Réponses : {reponses}")
        self.stdout.write(f"Taille du PDF : {len(pdf) // 1024} Kio")
        self.stdout.write(f"Rendu du PDF de synthèse : {durees[0]:.2f} s (objectif < 3 s)")
        self.stdout.write(f"Rendu suivant, WeasyPrint déjà chargé : {durees[1]:.2f} s")
        self.stdout.write(f"Réécriture des réponses dans le désordre à la clôture : {brassage:.2f} s")
        self.stdout.write(f"Base de mesure {nom} créée puis supprimée : la base de l'application n'a pas été modifiée.")

    def _campagne(self, n: int) -> Campagne:
        rng = random.Random(1600)  # noqa: S311 - synthetic data
        maintenant, aujourd_hui = timezone.now(), timezone.localdate()
        promotion = Promotion.objects.create(
            nom="Banc d'essai",
            est_courante=False,
            date_premier_poste=aujourd_hui,
            ouverture_candidatures=maintenant - datetime.timedelta(days=400),
            cloture_candidatures=maintenant - datetime.timedelta(days=300),
            journee_lancement=aujourd_hui - datetime.timedelta(days=250),
            lieu_lancement="Paris",
            evenement_mi_parcours=aujourd_hui - datetime.timedelta(days=60),
            journee_bilan=aujourd_hui + datetime.timedelta(days=60),
            fin=aujourd_hui + datetime.timedelta(days=90),
            email_contact="banc@exemple.fr",
        )
        campagne = Campagne.objects.create(
            promotion=promotion,
            type=TypeCampagne.MI_PARCOURS,
            ouverture=maintenant - datetime.timedelta(days=30),
            fermeture=maintenant - datetime.timedelta(days=1),
            commentaire="Synthèse de démonstration : un programme apprécié, des rencontres à mieux planifier.",
            extraits=["Des échanges précieux pour prendre du recul."] * 5,
        )
        reponses = Reponse.objects.bulk_create(
            Reponse(campagne=campagne, role=rng.choice(Role.values), corps=rng.choice(Corps.values[:3]))
            for _ in range(n)
        )
        valeurs = []
        for question in Question.objects.filter(active=True):
            for reponse in reponses:
                if question.type == TypeQuestion.ECHELLE:
                    valeurs.append(Valeur(reponse=reponse, question=question, note=rng.randint(1, 5)))
                elif question.type == TypeQuestion.OUI_NON:
                    valeurs.append(Valeur(reponse=reponse, question=question, oui=rng.random() < 0.8))
                else:
                    valeurs.append(Valeur(reponse=reponse, question=question, texte="Une réponse libre."))
        Valeur.objects.bulk_create(valeurs, batch_size=2000)
        return campagne
