"""Who may reach what: every URL of the site (the admin aside) against eight personas.

`TABLE` lists each URL name, how to build its arguments from the `monde` fixture and, for each
persona, the answer expected to a GET and, where the view takes a form, to a POST. One test case is
generated per (URL, method, persona). Each case also checks that

- a refused request changed nothing in the database (a forged POST is harmless), and a permitted
  one did change what it is meant to (so the forged data would have worked);
- a page shown carries none of the data the persona must not see (`SECRETS`);
- every answer, refusals and redirects included, carries the security headers (`verifier_les_entetes`), and
  a page shown has no inline script, style attribute or event-handler attribute that the CSP would block.

`test_chaque_url_du_site_a_sa_ligne` fails when a URL is added without a row here: a new view
cannot skip this check.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.core import signing
from django.db import models, transaction
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from binomes.models import Binome, Engagement
from candidatures.jetons import confirmation_email
from candidatures.models import Candidature, Role, Statut
from evaluation import services as evaluation
from evaluation.models import (
    Campagne,
    EtatSynthese,
    Invitation,
    Question,
    Reponse,
    ReponseEnAttente,
    TypeCampagne,
    TypeQuestion,
)
from mentorat.models import Corps, Promotion, Utilisateur
from rgpd.models import DemandeEffacement
from suivi import evenements as temps_collectifs
from suivi import services as suivi
from suivi.models import (
    EtatRencontre,
    EvenementCollectif,
    Export,
    JetonCalendrier,
    Participation,
    Rencontre,
    StatutExport,
    Transmission,
    TypeEvenement,
    TypeExport,
)

from .candidatures.conftest import donnees_mentor, donnees_mentore
from .evaluation.factories import CampagneFactory
from .factories import (
    MOT_DE_PASSE,
    BinomeFactory,
    CandidatureFactory,
    IngenieurFactory,
    PiloteFactory,
    PromotionFactory,
)
from .suivi.factories import RencontreFactory

PERSONAS = ("anonyme", "candidat", "mentore", "mentor", "intrus", "pilote", "referent", "autre_ingenieur")
MEMBRES = ("mentore", "mentor")  # the two members of `monde.binome`
INGENIEURS = ("referent", "autre_ingenieur")  # the pair's referent engineer, and one who follows other pairs
COMITE = ("pilote", *INGENIEURS)
PARTICIPANTS = (*MEMBRES, "intrus")  # invited to the questionnaires of the promotion

CONNEXION = "page de connexion"  # a redirect to the login page, coming back to the URL afterwards

# Data that only some personas may see; each case checks that no other persona's page shows it.
NOM_MENTOR, NOM_MENTORE = "Quintanilla", "Ormessonne"
SECRET_RENCONTRE = "Thematique-du-binome-suivi"
SECRET_CANDIDATURE = "Motivation-de-la-candidate-seule"
SECRET_COMMENTAIRE = "Commentaire-des-ingenieurs-non-publie"
SECRET_VERBATIM = "Reponse-libre-pour-les-ingenieurs"
SECRET_OBJECTIF = "Objectif-du-binome-seul"
SECRETS = {
    NOM_MENTOR: (*MEMBRES, *COMITE),
    NOM_MENTORE: (*MEMBRES, *COMITE),
    SECRET_RENCONTRE: (*MEMBRES, *INGENIEURS),  # the tracking table: the pair and the engineers, not the pilot
    SECRET_CANDIDATURE: ("candidat",),  # the committee reads applications in the admin only
    SECRET_COMMENTAIRE: INGENIEURS,  # an unpublished synthesis
    SECRET_VERBATIM: INGENIEURS,  # free-text answers, even once the synthesis is published
    SECRET_OBJECTIF: MEMBRES,  # the pair's objectives (and the mentee's own, in their application): the pair only
}


def tous(statut) -> dict:
    return dict.fromkeys(PERSONAS, statut)


def connectes(statut) -> dict:
    """`statut` for every logged-in persona; the visitor is sent to the login page."""
    return {**tous(statut), "anonyme": CONNEXION}


def reserve(*autorises: str, statut=200, refus=404) -> dict:
    """`statut` for `autorises`, `refus` for the other logged-in personas, the login page for the visitor."""
    return {**connectes(refus), **dict.fromkeys(autorises, statut)}


@dataclass(frozen=True)
class Post:
    donnees: Callable[[SimpleNamespace], dict]  # valid data: refused only because of who sends it
    attendu: dict
    modifie: tuple[str, ...] = ()  # the personas whose POST changes `etat(monde)`; for all others it must not


@dataclass(frozen=True)
class Acces:
    nom: str
    get: dict
    arguments: Callable[[SimpleNamespace], list] = field(default=lambda m: [])
    post: Post | None = None
    variante: str = ""
    get_modifie: tuple[str, ...] = ()  # a link that acts when followed (e-mail confirmation)
    lien_secret: bool = False  # the token in the URL is the credential: who is logged in does not matter

    @property
    def cle(self) -> str:
        return f"{self.nom}[{self.variante}]" if self.variante else self.nom


def _pk_binome(m):
    return [m.binome.pk]


def _pk_candidature(m):
    return [m.candidature.pk]


def _pk_promotion(m):
    return [m.binome.promotion_id]


def _uid_candidat(m):
    return urlsafe_base64_encode(force_bytes(m.candidat.pk))


def _rencontre(m, **valeurs) -> dict:
    return {"date": (m.lancement + datetime.timedelta(days=30)).isoformat(), "mode": "presentiel", **valeurs}


def _reponses(m) -> dict:
    choix = {TypeQuestion.ECHELLE: "4", TypeQuestion.OUI_NON: "oui", TypeQuestion.TEXTE: "Un regard neuf."}
    return {q.code: choix[TypeQuestion(q.type)] for q in Question.objects.filter(active=True)}


def _arret(m) -> dict:
    return {
        "date": timezone.localdate().isoformat(),
        "motif": "relation",
        "derniere_rencontre": m.rencontre.date.isoformat(),
    }


def _presences(m) -> dict:
    lignes = Participation.objects.filter(evenement=m.evenement).order_by(
        "utilisateur__nom", "utilisateur__prenom", "pk"
    )
    donnees = {"form-TOTAL_FORMS": str(len(lignes)), "form-INITIAL_FORMS": str(len(lignes))}
    for i, participation in enumerate(lignes):
        donnees |= {f"form-{i}-id": str(participation.pk), f"form-{i}-present": "True"}
    return donnees


NOUVEAU_MOT_DE_PASSE = {"new_password1": "Une-autre-phrase-2025", "new_password2": "Une-autre-phrase-2025"}

TABLE = [
    # Public pages: everyone, logged in or not.
    Acces("accueil", tous(200)),
    Acces("accessibilite", tous(200)),
    Acces("mentions_legales", tous(200)),
    Acces("donnees_personnelles", tous(200)),
    Acces("healthz", tous(200)),
    # Where each persona lands after signing in: a redirect, to their own space (tests/mentorat/test_arrivee.py).
    Acces("arrivee", connectes(302)),
    # Accounts (Django's views): each acts on the requesting person's own account only.
    Acces("login", tous(200), post=Post(lambda m: {"username": m.candidat.email, "password": "faux"}, tous(200))),
    Acces("logout", tous(405), post=Post(lambda m: {}, tous(302))),  # logging out is a POST since Django 5
    Acces(
        "password_change",
        connectes(200),
        post=Post(lambda m: {"old_password": MOT_DE_PASSE, **NOUVEAU_MOT_DE_PASSE}, connectes(302), ("candidat",)),
    ),
    Acces("password_change_done", connectes(200)),
    Acces("password_reset", tous(200), post=Post(lambda m: {"email": m.candidat.email}, tous(302))),
    Acces("password_reset_done", tous(200)),
    Acces(
        "password_reset_confirm",  # a forged link: the page says the link is invalid, the password stays
        tous(200),
        arguments=lambda m: [_uid_candidat(m), "jeton-invente"],
        post=Post(lambda m: NOUVEAU_MOT_DE_PASSE, tous(200)),
    ),
    Acces("password_reset_complete", tous(200)),
    # The committee's second factor: its accounts only (the others have none); here they have passed it already,
    # so the code page sends them on, while enrolling another application and the recovery codes stay open.
    Acces(
        "second_facteur",
        reserve(*COMITE, statut=302),
        post=Post(lambda m: {"code": "123456"}, reserve(*COMITE, statut=302)),
    ),
    Acces(
        "activer_second_facteur",
        reserve(*COMITE),
        post=Post(lambda m: {"code": "000000"}, reserve(*COMITE)),  # a wrong code: the page again, with the error
    ),
    Acces("codes_de_secours", reserve(*COMITE), post=Post(lambda m: {}, reserve(*COMITE))),
    # ProConnect is off unless configured (tests/mentorat/test_proconnect.py runs it against a real provider).
    Acces("proconnect_connexion", tous(404)),
    Acces("proconnect_retour", tous(404)),
    # Applications: public forms; a candidate sees and changes only their own application.
    Acces(
        "candidatures:candidater_mentore",
        {**tous(200), "candidat": 302},  # the candidate has applied already: sent to their application
        post=Post(lambda m: donnees_mentore(m.promotion), tous(302), tuple(p for p in PERSONAS if p != "candidat")),
    ),
    Acces(
        "candidatures:candidater_mentor",
        {**tous(200), "candidat": 302},
        post=Post(lambda m: donnees_mentor(m.promotion), tous(302), tuple(p for p in PERSONAS if p != "candidat")),
    ),
    # A mentor of an earlier promotion applies again from their last answers; the others are sent to the form.
    Acces(
        "candidatures:candidater_a_nouveau",
        {**connectes(302), "mentor": 200},
        post=Post(lambda m: donnees_mentor(m.promotion), connectes(302), ("mentor",)),
    ),
    Acces("candidatures:mon_espace", connectes(200)),
    Acces(
        "candidatures:modifier",
        reserve("candidat"),
        arguments=_pk_candidature,
        post=Post(
            lambda m: donnees_mentore(m.promotion, motivation="Une autre motivation."),
            reserve("candidat", statut=302),
            ("candidat",),
        ),
    ),
    Acces(
        "candidatures:retirer",
        reserve("candidat"),
        arguments=_pk_candidature,
        post=Post(lambda m: {}, reserve("candidat", statut=302), ("candidat",)),
    ),
    Acces("candidatures:renvoyer_confirmation", connectes(405), post=Post(lambda m: {}, connectes(302))),
    # Places and waiting list: the committee's page (403 for the others, like its other pages outside the admin).
    Acces("candidatures:places", reserve(*COMITE, refus=403), arguments=lambda m: [m.promotion.pk]),
    Acces(
        "candidatures:deplacer",
        connectes(405),
        arguments=lambda m: [m.en_attente.pk],
        post=Post(lambda m: {f"{m.en_attente.pk}-rang": "2"}, reserve(*COMITE, statut=302, refus=403), COMITE),
    ),
    Acces(
        "candidatures:retenir_depuis_la_liste",
        connectes(405),
        arguments=lambda m: [m.en_attente.pk],
        post=Post(lambda m: {}, reserve(*COMITE, statut=302, refus=403), COMITE),
    ),
    Acces(
        "candidatures:confirmer_email",
        tous(400),
        arguments=lambda m: [_uid_candidat(m), "jeton-invente"],
        variante="jeton-faux",
    ),
    Acces(
        "candidatures:confirmer_email",
        tous(200),
        arguments=lambda m: [_uid_candidat(m), confirmation_email.make_token(m.candidat)],
        variante="jeton-valide",
        get_modifie=PERSONAS,
        lien_secret=True,
    ),
    # The pair's space: its members; its referent and the committee may look (the committee forms the pairs).
    Acces("binomes:espace", connectes(200)),  # each sees their own pair, or an explanation
    Acces("binomes:detail", reserve(*MEMBRES, *COMITE), arguments=_pk_binome),
    Acces(
        "binomes:signer_charte",
        connectes(405),
        arguments=_pk_binome,
        post=Post(lambda m: {"signe": "on"}, reserve(*MEMBRES, statut=302), MEMBRES),
    ),
    Acces(
        "binomes:confirmer_engagement",
        connectes(405),
        arguments=_pk_binome,
        post=Post(lambda m: {"absence_enjeux": "on", "engagement": "on"}, reserve(*MEMBRES, statut=302), MEMBRES),
    ),
    Acces(
        "binomes:modifier_objectifs",  # the mentee revises the pair's objectives; the mentor reads them
        connectes(405),
        arguments=_pk_binome,
        post=Post(lambda m: {"objectif_1": "Un autre objectif"}, reserve("mentore", statut=302), ("mentore",)),
    ),
    Acces(
        "binomes:demander_arret",
        connectes(405),
        arguments=_pk_binome,
        post=Post(lambda m: {"motif": "relation"}, reserve(*MEMBRES, statut=302), MEMBRES),
    ),
    # Meetings and tracking table: URLs without a pk act on the requesting member's own pair (404 without one);
    # URLs with a meeting's pk answer 404 to anyone outside its pair.
    Acces("suivi:rencontres", reserve(*PARTICIPANTS)),
    Acces(
        "suivi:ajouter",
        reserve(*PARTICIPANTS),
        post=Post(_rencontre, reserve(*PARTICIPANTS, statut=302), MEMBRES),  # the intruder adds to their own pair
    ),
    Acces(
        "suivi:modifier",
        reserve(*MEMBRES),
        arguments=lambda m: [m.rencontre.pk],
        post=Post(lambda m: _rencontre(m, mode="visio"), reserve(*MEMBRES, statut=302), MEMBRES),
    ),
    Acces(
        "suivi:supprimer",
        reserve(*MEMBRES),
        arguments=lambda m: [m.rencontre.pk],
        post=Post(lambda m: {}, reserve(*MEMBRES, statut=302), MEMBRES),
    ),
    Acces(
        "suivi:marquer_tenue",
        connectes(405),
        arguments=lambda m: [m.rencontre_a_confirmer.pk],
        post=Post(lambda m: {}, reserve(*MEMBRES, statut=302), MEMBRES),
    ),
    Acces(
        "suivi:transmettre",
        connectes(405),
        post=Post(lambda m: {"moment": "mi_parcours"}, reserve(*PARTICIPANTS, statut=302), MEMBRES),
    ),
    Acces("suivi:calendrier", connectes(200)),  # each their own calendar
    Acces("suivi:regenerer_lien", connectes(405), post=Post(lambda m: {}, connectes(302), ("mentore",))),
    Acces("suivi:ics", tous(200), arguments=lambda m: [m.jeton_calendrier], variante="jeton-valide", lien_secret=True),
    Acces("suivi:ics", tous(404), arguments=lambda m: ["jeton-invente"], variante="jeton-faux"),
    # Collective times: each participant answers their own invitation (404 for a time they are not invited to);
    # answers and attendance are the engineers' only, the pilot included out.
    Acces("suivi:evenements", connectes(200)),  # each their own invitations, or none
    Acces(
        "suivi:repondre_evenement",
        connectes(405),
        arguments=lambda m: [m.evenement.pk],
        post=Post(
            lambda m: {f"evenement-{m.evenement.pk}-reponse": "absent"},
            reserve(*PARTICIPANTS, statut=302),
            PARTICIPANTS,
        ),
    ),
    Acces("suivi:evenements_suivi", reserve(*INGENIEURS, refus=403)),
    Acces(
        "suivi:presences",
        reserve(*INGENIEURS),
        arguments=lambda m: [m.evenement.pk],
        post=Post(_presences, reserve(*INGENIEURS, statut=302), INGENIEURS),
    ),
    Acces(
        "suivi:inviter",
        connectes(405),
        arguments=lambda m: [m.evenement.pk],
        post=Post(lambda m: {}, reserve(*INGENIEURS, statut=302), INGENIEURS),
    ),
    # The engineers' follow-up. The dashboard answers 403 (the page exists, it is not yours); a pair's tracking
    # page and the exports answer 404 like a pair's own pages. The pilot does not see the tracking tables.
    Acces("suivi:tableau_de_bord", reserve(*INGENIEURS, refus=403)),
    Acces("suivi:binome", reserve(*MEMBRES, *INGENIEURS), arguments=_pk_binome),
    Acces(
        "suivi:enregistrer_arret",  # the engineers record a stop from the tracking page; not the members, nor the pilot
        reserve(*INGENIEURS),
        arguments=_pk_binome,
        post=Post(_arret, reserve(*INGENIEURS, statut=302), INGENIEURS),
    ),
    Acces("suivi:export_csv", reserve(*INGENIEURS), arguments=_pk_promotion),
    Acces("suivi:export_pdf", reserve(*INGENIEURS), arguments=_pk_promotion),
    # An export produced in the background: its page and its file, for the engineers only (404 for the others).
    Acces("suivi:export", reserve(*INGENIEURS), arguments=lambda m: [m.export.pk]),
    Acces("suivi:telecharger_export", reserve(*INGENIEURS), arguments=lambda m: [m.export.pk]),
    # The applications' XLSX: the committee, who export them from the admin (the pilot too).
    Acces("suivi:export", reserve(*COMITE), arguments=lambda m: [m.export_candidatures.pk], variante="candidatures"),
    Acces(
        "suivi:telecharger_export",
        reserve(*COMITE),
        arguments=lambda m: [m.export_candidatures.pk],
        variante="candidatures",
    ),
    # A published synthesis asked by the mentee: the same document for all who may read the synthesis, the
    # participants and the committee; not the candidates.
    Acces(
        "suivi:export",
        reserve(*PARTICIPANTS, *COMITE),
        arguments=lambda m: [m.export_synthese.pk],
        variante="synthese",
    ),
    Acces(
        "suivi:telecharger_export",
        reserve(*PARTICIPANTS, *COMITE),
        arguments=lambda m: [m.export_synthese.pk],
        variante="synthese",
    ),
    # Evaluation: unpublished syntheses and free text for the engineers; once published, for the participants
    # and the committee. The campaign list is the committee's (403 for the others).
    Acces("evaluation:campagnes", reserve(*COMITE, refus=403)),
    Acces("evaluation:mes_syntheses", connectes(200)),  # each the published syntheses of their own campaigns
    Acces("evaluation:synthese", reserve(*INGENIEURS), arguments=lambda m: [m.campagne.pk], variante="brouillon"),
    Acces(
        "evaluation:synthese",
        reserve(*PARTICIPANTS, *COMITE),
        arguments=lambda m: [m.campagne_publiee.pk],
        variante="publiee",
    ),
    Acces(
        "evaluation:rediger",
        connectes(405),
        arguments=lambda m: [m.campagne.pk],
        post=Post(lambda m: {"commentaire": "Autre", "extraits": ""}, reserve(*INGENIEURS, statut=302), INGENIEURS),
    ),
    Acces(
        "evaluation:publier",
        connectes(405),
        arguments=lambda m: [m.campagne.pk],
        post=Post(lambda m: {}, reserve(*INGENIEURS, statut=302), INGENIEURS),
    ),
    Acces("evaluation:pdf", reserve(*INGENIEURS), arguments=lambda m: [m.campagne.pk], variante="brouillon"),
    Acces(
        "evaluation:pdf",
        reserve(*PARTICIPANTS, *COMITE),
        arguments=lambda m: [m.campagne_publiee.pk],
        variante="publiee",
    ),
    # Personal data: each person their own (the JSON is checked for leaks like a page); an erasure request from anyone
    # but a committee account, which is closed through the committee's account management.
    Acces("rgpd:mes_donnees", connectes(200)),
    Acces("rgpd:telecharger_json", connectes(200)),
    Acces("rgpd:telecharger_pdf", connectes(200)),
    Acces(
        "rgpd:demander_effacement",
        connectes(405),
        post=Post(
            lambda m: {"message": "Effacez tout."},
            {**connectes(302), **dict.fromkeys(COMITE, 403)},
            ("candidat", *PARTICIPANTS),
        ),
    ),
    # The questionnaire link is signed: whoever holds it answers once, logged in or not; a forged one is a 404.
    Acces(
        "evaluation:questionnaire",
        tous(200),
        arguments=lambda m: [m.jeton_questionnaire],
        variante="jeton-valide",
        post=Post(_reponses, tous(200), PERSONAS),
        lien_secret=True,
    ),
    Acces(
        "evaluation:questionnaire",
        tous(404),
        arguments=lambda m: [signing.dumps(m.invitation.pk, salt="un-autre-usage")],
        variante="jeton-faux",
        post=Post(_reponses, tous(404)),
    ),
]


def noms_des_urls(motifs, espace: str = ""):
    """Every URL name under `motifs`, namespaced ("suivi:ajouter"), the admin's aside."""
    for motif in motifs:
        if isinstance(motif, URLResolver):
            if motif.namespace == "admin":
                continue
            yield from noms_des_urls(motif.url_patterns, f"{espace}{motif.namespace}:" if motif.namespace else espace)
        else:
            # An unnamed URL cannot be in the table: it shows up as missing, with its route.
            yield f"{espace}{motif.name}" if motif.name else f"{espace}(sans nom : {motif.pattern})"


def test_chaque_url_du_site_a_sa_ligne():
    du_site = set(noms_des_urls(get_resolver().url_patterns))
    de_la_table = {acces.nom for acces in TABLE}

    assert du_site - de_la_table == set(), "URL sans ligne dans TABLE : dites qui peut la voir"
    assert de_la_table - du_site == set(), "ligne de TABLE pour une URL qui n'existe plus"


@pytest.mark.parametrize("acces", TABLE, ids=lambda a: a.cle)
def test_chaque_ligne_dit_le_sort_de_chaque_persona(acces):
    assert set(acces.get) == set(PERSONAS)
    if acces.post:
        assert set(acces.post.attendu) == set(PERSONAS)
    # A view that refuses GET takes a form: its POST must be in the table too.
    assert acces.post or 405 not in acces.get.values()


def _cas():
    for acces in TABLE:
        for methode in ("GET", "POST") if acces.post else ("GET",):
            for persona in PERSONAS:
                yield pytest.param(acces, methode, persona, id=f"{acces.cle}-{methode}-{persona}")


def _construire_monde() -> SimpleNamespace:
    """A pair of a promotion launched 100 days ago, with everything its pages show; the other personas.

    `promotion` (the current one, open to applications) holds the candidate's application.
    """
    promotion = PromotionFactory()
    lancement = timezone.localdate() - datetime.timedelta(days=100)
    promotion_du_binome = PromotionFactory(
        est_courante=False,
        ouverture_candidatures=timezone.now() - datetime.timedelta(days=300),
        cloture_candidatures=timezone.now() - datetime.timedelta(days=200),
        journee_lancement=lancement,
    )
    binome = BinomeFactory.create(
        promotion=promotion_du_binome,
        referent=IngenieurFactory(),
        mentor__utilisateur__nom=NOM_MENTOR,
        mentore__utilisateur__nom=NOM_MENTORE,
        mentore__objectifs=[SECRET_OBJECTIF],
        objectifs=[SECRET_OBJECTIF],
    )
    candidature = CandidatureFactory.create(
        promotion=promotion, motivation=SECRET_CANDIDATURE, utilisateur__email_confirme=False
    )
    # One mentee place, free; two people waiting for it.
    Promotion.objects.filter(nom=promotion.nom).update(places_mentores=1)
    en_attente = [
        CandidatureFactory.create(promotion=promotion, statut=Statut.LISTE_ATTENTE, rang_attente=rang)
        for rang in (1, 2)
    ]
    m = SimpleNamespace(
        promotion=promotion,
        lancement=lancement,
        binome=binome,
        candidature=candidature,
        en_attente=en_attente[0],
        candidat=candidature.utilisateur,
        mentore=binome.mentore.utilisateur,
        mentor=binome.mentor.utilisateur,
        intrus=BinomeFactory.create(promotion=promotion_du_binome).mentore.utilisateur,
        pilote=PiloteFactory(),
        referent=binome.referent,
        autre_ingenieur=IngenieurFactory(),
    )
    m.rencontre = RencontreFactory(binome=binome, date=lancement + datetime.timedelta(days=14))
    Rencontre.objects.filter(pk=m.rencontre.pk).update(autre_theme=SECRET_RENCONTRE)
    m.rencontre_a_confirmer = RencontreFactory(
        binome=binome, date=timezone.localdate() - datetime.timedelta(days=2), etat=EtatRencontre.PREVUE
    )
    m.jeton_calendrier = suivi.jeton_calendrier(utilisateur=m.mentore).jeton
    # The mid-course time, ahead, by video; its three participants invited.
    debut = timezone.make_aware(datetime.datetime.combine(lancement + datetime.timedelta(days=200), datetime.time(14)))
    m.evenement = EvenementCollectif.objects.create(
        promotion=binome.promotion,
        type=TypeEvenement.MI_PARCOURS,
        debut=debut,
        fin=debut + datetime.timedelta(hours=2),
        lien_visio="https://visio.example.fr/mi-parcours",
    )
    temps_collectifs.inviter(evenement=m.evenement)
    m.export = Export.objects.create(
        type=TypeExport.TABLEAUX_CSV,
        demandeur=m.referent,
        promotion_id=m.binome.promotion_id,
        statut=StatutExport.PRET,
        contenu=SECRET_RENCONTRE.encode(),
        expire_le=timezone.now() + datetime.timedelta(days=1),
    )

    # A closed campaign whose synthesis is still a draft, and a published one; each answered once.
    m.campagne = _campagne_repondue(promotion_du_binome, TypeCampagne.MI_PARCOURS, commentaire=SECRET_COMMENTAIRE)
    m.campagne_publiee = _campagne_repondue(promotion_du_binome, TypeCampagne.FIN)
    Campagne.objects.filter(pk=m.campagne_publiee.pk).update(etat=EtatSynthese.PUBLIEE, publiee_le=timezone.now())
    m.export_candidatures = Export.objects.create(
        type=TypeExport.CANDIDATURES_XLSX,
        demandeur=m.pilote,
        statut=StatutExport.PRET,
        contenu=b"PK",
        filtres={"candidatures": [m.candidature.pk], "champs": None, "requete": ""},
        expire_le=timezone.now() + datetime.timedelta(days=1),
    )
    m.export_synthese = Export.objects.create(
        type=TypeExport.SYNTHESE_PDF,
        demandeur=m.mentore,
        promotion_id=m.campagne_publiee.promotion_id,
        statut=StatutExport.PRET,
        contenu=b"%PDF",
        filtres={"campagne": m.campagne_publiee.pk, "reponses": 1},
        expire_le=timezone.now() + datetime.timedelta(days=1),
    )
    # An open questionnaire and the mentee's personal link to it.
    ouverte = CampagneFactory.create(promotion=promotion_du_binome, type=TypeCampagne.FIN_DE_BINOME)
    m.invitation = Invitation.objects.create(campagne=ouverte, utilisateur=m.mentore, role=Role.MENTORE, corps=Corps.DH)
    m.jeton_questionnaire = evaluation.jeton(m.invitation)
    return m


@pytest.fixture(scope="module")
def _monde_du_module(django_db_setup, django_db_blocker):
    """The world, built once for the module's ~600 tests (per test process), in a transaction rolled back at the
    end: each test runs in a savepoint of it, as it would in its own transaction."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _construire_monde()
        transaction.set_rollback(True)


@pytest.fixture
def monde(_monde_du_module, db, settings):
    """The module's world with its rows read again: a login or a request of one test (`last_login`, a token
    computed from the user) cannot reach the next one through shared Python objects."""
    settings.EVALUATION_SEUIL_VERBATIM = 1  # one answer shows the free text: the test then checks who sees it

    def relu(valeur):
        return type(valeur).objects.get(pk=valeur.pk) if isinstance(valeur, models.Model) else valeur

    return SimpleNamespace(**{nom: relu(valeur) for nom, valeur in vars(_monde_du_module).items()})


def _campagne_repondue(promotion, type_, **champs) -> Campagne:
    campagne = CampagneFactory.create(promotion=promotion, type=type_, **champs)
    evaluation.creer_invitations(campagne=campagne)
    invitation = campagne.invitations.all()[0]
    valeurs = {
        q: {"echelle": 4, "oui_non": True}.get(q.type, SECRET_VERBATIM) for q in Question.objects.filter(active=True)
    }
    evaluation.repondre(invitation_id=invitation.pk, valeurs=valeurs)
    Campagne.objects.filter(pk=campagne.pk).update(fermeture=timezone.now() - datetime.timedelta(minutes=1))
    evaluation.brasser_reponses(campagne_id=campagne.pk)  # the answer out of the pool, as after the daily task
    return campagne


def etat(m) -> dict:
    """What a request could wrongly change, read again from the database."""
    binome = Binome.objects.get(pk=m.binome.pk)
    candidat = Utilisateur.objects.get(pk=m.candidat.pk)
    campagne = Campagne.objects.get(pk=m.campagne.pk)
    return {
        "rencontres": list(
            Rencontre.objects.filter(binome=binome).order_by("pk").values_list("pk", "date", "mode", "etat")
        ),
        "binome": (binome.statut, binome.arret_demande_le, binome.motif_arret, binome.date_arret, binome.objectifs),
        "engagements": list(
            Engagement.objects.filter(binome=binome)
            .order_by("pk")
            .values_list("utilisateur", "charte_signee_le", "absence_enjeux_confirmee_le")
        ),
        "transmissions": Transmission.objects.filter(binome=binome).count(),
        "jeton_calendrier": JetonCalendrier.objects.get(utilisateur=m.mentore).jeton,
        "candidature": Candidature.objects.filter(pk=m.candidature.pk).values_list("statut", "motivation").get(),
        "candidatures": Candidature.objects.count(),
        "liste_attente": list(
            Candidature.objects.filter(promotion=m.promotion).order_by("pk").values_list("pk", "statut", "rang_attente")
        ),
        "compte_candidat": (candidat.password, candidat.email_confirme),
        "campagne": (campagne.commentaire, campagne.extraits, campagne.etat),
        "reponses": (Reponse.objects.count(), ReponseEnAttente.objects.count()),
        "participations": list(
            Participation.objects.order_by("pk").values_list("utilisateur", "reponse", "repondu_le", "present")
        ),
        "invitations_envoyees_le": EvenementCollectif.objects.get(pk=m.evenement.pk).invitations_envoyees_le,
        "demandes_effacement": list(DemandeEffacement.objects.values_list("utilisateur", "statut", "message")),
    }


def verifier_statut(reponse, attendu) -> None:
    if attendu == CONNEXION:
        assert reponse.status_code == 302
        assert reponse["Location"].startswith(reverse("login") + "?next=")
    else:
        assert reponse.status_code == attendu


def verifier_que_rien_ne_fuit(reponse, persona: str) -> None:
    if not reponse["Content-Type"].startswith(("text/", "application/json")):
        return  # PDF: compressed streams, their content is checked by the apps' own tests
    contenu = reponse.content.decode()
    fuites = [secret for secret, autorises in SECRETS.items() if secret in contenu and persona not in autorises]
    assert fuites == []


def verifier_les_identifiants(reponse) -> None:
    """Each id once per page, and each aria reference to an id of the page: a screen reader announces a group
    with its own legend, a field with its own hint and error (WCAG 4.1.1, 1.3.1)."""
    page = reponse.content.decode()
    identifiants = re.findall(r'\bid="([^"]+)"', page)
    references = {
        ref for refs in re.findall(r'aria-(?:labelledby|describedby)="([^"]+)"', page) for ref in refs.split()
    }

    assert sorted({i for i in identifiants if identifiants.count(i) > 1}) == []
    assert references - set(identifiants) == set()


def verifier_les_entetes(reponse) -> None:
    """Content-Security-Policy without any inline allowance, Permissions-Policy, never stored by a cache."""
    politique = dict([*directive.split(" ", 1), ""][:2] for directive in reponse["Content-Security-Policy"].split("; "))
    assert politique["script-src"] == "'self'"
    assert politique["style-src"] == "'self'"
    assert politique["default-src"] == "'self'"
    assert politique["frame-ancestors"] == "'none'"
    assert "unsafe" not in reponse["Content-Security-Policy"]
    assert "camera=()" in reponse["Permissions-Policy"]
    assert "geolocation=()" in reponse["Permissions-Policy"]
    assert "no-store" in reponse["Cache-Control"]
    assert "Server" not in reponse


def verifier_rien_d_en_ligne(reponse) -> None:
    """What the CSP would block in the browser: inline scripts, style attributes, event-handler attributes."""
    page = reponse.content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assert re.findall(r"<[^>]*\sstyle=[^>]*>", page) == []
    assert re.findall(r"<[^>]*\son[a-z]+=[^>]*>", page) == []
    assert "javascript:" not in page


# The leak check above proves something only if the secrets are on the pages of those who may see them.
TEMOINS = [
    ("binomes:detail", "pilote", NOM_MENTOR),
    ("suivi:tableau_de_bord", "autre_ingenieur", NOM_MENTORE),
    ("suivi:rencontres", "mentor", SECRET_RENCONTRE),
    ("suivi:binome", "referent", SECRET_RENCONTRE),
    ("candidatures:modifier", "candidat", SECRET_CANDIDATURE),
    ("evaluation:synthese[brouillon]", "referent", SECRET_COMMENTAIRE),
    ("evaluation:synthese[publiee]", "autre_ingenieur", SECRET_VERBATIM),
    ("binomes:detail", "mentor", SECRET_OBJECTIF),
    ("binomes:espace", "mentore", SECRET_OBJECTIF),
    ("rgpd:telecharger_json", "mentore", SECRET_OBJECTIF),
]


@pytest.mark.parametrize(("cle", "persona", "secret"), TEMOINS)
def test_les_secrets_sont_montres_a_qui_peut_les_voir(client, monde, cle, persona, secret):
    acces = next(a for a in TABLE if a.cle == cle)
    client.force_login(getattr(monde, persona))

    reponse = client.get(reverse(acces.nom, args=acces.arguments(monde)))

    assert secret in reponse.content.decode()


@pytest.mark.parametrize(("acces", "methode", "persona"), list(_cas()))
def test_acces(client, monde, acces, methode, persona):
    url = reverse(acces.nom, args=acces.arguments(monde))
    if persona != "anonyme":
        client.force_login(getattr(monde, persona))
    avant = etat(monde)

    if methode == "GET":
        reponse = client.get(url)
        attendu, modifie = acces.get, acces.get_modifie
    else:
        reponse = client.post(url, acces.post.donnees(monde))
        attendu, modifie = acces.post.attendu, acces.post.modifie

    verifier_statut(reponse, attendu[persona])
    verifier_les_entetes(reponse)
    if persona in modifie:
        assert etat(monde) != avant, "les données envoyées auraient dû être acceptées"
    else:
        assert etat(monde) == avant
    if reponse.status_code == 200 and not acces.lien_secret:
        verifier_que_rien_ne_fuit(reponse, persona)
    if reponse.status_code == 200 and reponse["Content-Type"].startswith("text/html"):
        verifier_les_identifiants(reponse)
        verifier_rien_d_en_ligne(reponse)
