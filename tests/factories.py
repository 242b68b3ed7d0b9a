"""factory_boy factories shared by every app's tests. Plain values, nothing clever."""

import datetime
import functools
from typing import cast

import factory
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from binomes.models import Binome, StatutBinome
from candidatures.models import Candidature, ModeRencontre, Role, Statut, Theme, TypeEtablissement
from mentorat.models import GROUPE_INGENIEUR, GROUPE_PILOTE, Corps, Promotion, Utilisateur

MOT_DE_PASSE = "Mentorat-essai-2024"


@functools.cache
def _empreinte_du_mot_de_passe() -> str:
    """Argon2 takes a fifth of a second by design: hashed once for all test users, not once each."""
    return make_password(MOT_DE_PASSE)


class UtilisateurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Utilisateur
        skip_postgeneration_save = True

    prenom = factory.Sequence(lambda n: f"Prénom{n}")
    nom = factory.Sequence(lambda n: f"Nom{n}")
    email = factory.LazyAttribute(lambda u: f"{slugify(u.prenom)}.{slugify(u.nom)}@exemple.fr")
    email_confirme = True
    password = factory.LazyFunction(_empreinte_du_mot_de_passe)


def _dans_le_groupe(nom: str) -> factory.PostGeneration:
    def ajouter(utilisateur, create, extracted, **kwargs):
        if create:
            utilisateur.groups.add(Group.objects.get(name=nom))

    return factory.PostGeneration(ajouter)


class IngenieurFactory(UtilisateurFactory):
    is_staff = True
    groupe = _dans_le_groupe(GROUPE_INGENIEUR)


class PiloteFactory(UtilisateurFactory):
    is_staff = True
    groupe = _dans_le_groupe(GROUPE_PILOTE)


class PromotionFactory(factory.django.DjangoModelFactory):
    """A promotion whose application window is open now, with a year ahead of it."""

    class Meta:
        model = Promotion
        django_get_or_create = ("nom",)

    nom = factory.Sequence(lambda n: f"{2030 + n}/{2031 + n}")
    est_courante = True
    date_premier_poste = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=40))
    ouverture_candidatures = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10))
    cloture_candidatures = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=20))
    journee_lancement = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    lieu_lancement = "Paris"
    evenement_mi_parcours = factory.LazyAttribute(lambda p: p.journee_lancement + datetime.timedelta(days=200))
    journee_bilan = factory.LazyAttribute(lambda p: p.journee_lancement + datetime.timedelta(days=340))
    fin = factory.LazyAttribute(lambda p: p.journee_bilan + datetime.timedelta(days=30))
    email_contact = "mentorat@cng.example.fr"


def promotion_dans_son_annee(jours_depuis_lancement: int = 100) -> Promotion:
    """A promotion in its programme year, launched `jours_depuis_lancement` days ago, its applications long closed
    and its mid-course event ahead: its pairs log meetings."""
    lancement = timezone.localdate() - datetime.timedelta(days=jours_depuis_lancement)
    promotion = PromotionFactory(
        ouverture_candidatures=timezone.now() - datetime.timedelta(days=300),
        cloture_candidatures=timezone.now() - datetime.timedelta(days=200),
        journee_lancement=lancement,
        evenement_mi_parcours=lancement + datetime.timedelta(days=180),
    )
    return cast(Promotion, promotion)  # a model instance: the stubs say the factory


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("nom",)

    nom = factory.Sequence(lambda n: f"Thème {n}")


class CandidatureFactory(factory.django.DjangoModelFactory):
    """An eligible mentee application; use `MentorFactory` for a mentor."""

    class Meta:
        model = Candidature
        skip_postgeneration_save = True

    promotion = factory.SubFactory(PromotionFactory)
    utilisateur = factory.SubFactory(UtilisateurFactory)
    role = Role.MENTORE
    corps = Corps.DH
    fonction = "Directeur adjoint des ressources humaines"
    etablissement = factory.Sequence(lambda n: f"Centre hospitalier n°{n}")
    type_etablissement = TypeEtablissement.SANITAIRE
    departement = "33"
    region = "Nouvelle-Aquitaine"
    date_premier_poste: object = factory.LazyAttribute(lambda c: c.promotion.date_premier_poste)
    motivation = "Prendre du recul sur ma première prise de poste."
    mode_rencontre = ModeRencontre.LES_DEUX
    consentement_donnees = True
    charte_acceptee = True
    statut = Statut.RECEVABLE

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class MentorFactory(CandidatureFactory):
    role = Role.MENTOR
    fonction = "Directeur général"
    date_premier_poste = None
    carriere_geree_cng = True
    debut_fonctions_direction = datetime.date(2000, 1, 1)
    postes_direction = 3


class BinomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Binome

    promotion = factory.SubFactory(PromotionFactory)
    mentor = factory.SubFactory(MentorFactory, promotion=factory.SelfAttribute("..promotion"), statut=Statut.RETENUE)
    mentore = factory.SubFactory(
        CandidatureFactory, promotion=factory.SelfAttribute("..promotion"), statut=Statut.RETENUE
    )
    referent = factory.SubFactory(IngenieurFactory)
    decide_par = factory.SelfAttribute("referent")
    statut = StatutBinome.ACTIF
    score = 70


class AppareilTotpFactory(factory.django.DjangoModelFactory):
    """A confirmed authenticator application of a committee member; `code(appareil)` is what it shows now."""

    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UtilisateurFactory)
    name = "Application de test"
    confirmed = True

    @classmethod
    def confirme_pour(cls, utilisateur) -> TOTPDevice:
        return TOTPDevice.objects.filter(user=utilisateur, confirmed=True).first() or cls(user=utilisateur)


def code_totp(appareil: TOTPDevice, pas: int = 0) -> str:
    """The code the application shows now, or `pas` steps of 30 s later (a code once used is refused: the next
    sign-in within the same 30 s uses the next one, as a person would wait for it)."""
    totp = TOTP(appareil.bin_key, appareil.step, appareil.t0, appareil.digits, appareil.drift)
    totp.time = totp.time + pas * appareil.step
    return f"{totp.token():0{appareil.digits}d}"
