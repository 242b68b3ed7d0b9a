"""The pair's space (/espace/) and the pages of one pair."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from candidatures.models import Candidature, Theme
from evaluation.espace import questionnaires_de
from evaluation.models import Campagne, Invitation
from mentorat import fragments, pages_du_lecteur
from mentorat.models import Promotion, Utilisateur
from suivi import couverture
from suivi.models import Rencontre

from . import services
from .forms import DemandeArretForm, EngagementForm, ObjectifsForm, SignatureCharteForm
from .models import Binome, Charte, Engagement
from .rules import est_membre, peut_enregistrer_arret, peut_modifier_objectifs, peut_voir_binome

# What the pair's pages show of it: its promotion and its three people, read with it.
AVEC_PERSONNES = ("promotion", "referent", "mentor__utilisateur", "mentore__utilisateur")
# Every table the member's space shows (the reader's own account and groups are in `pages_du_lecteur`'s key): the pair
# and its people (the other member's and the referent's accounts too), their commitments and the charter, the themes
# wished and covered by held meetings, the member's questionnaires.
TABLES_DE_L_ESPACE = (
    Promotion,
    Utilisateur,
    Binome,
    Candidature,
    Engagement,
    Charte,
    Theme,
    Candidature.themes.through,
    Rencontre,
    Rencontre.themes.through,
    Campagne,
    Invitation,
)


def get_binome_ou_404(request, pk: int) -> Binome:
    """The pair `pk` if the user may see it (member, referent or committee), else 404: no one learns it exists."""
    binome = Binome.objects.select_related(*AVEC_PERSONNES).filter(pk=pk).first()
    if binome is None or not peut_voir_binome(request.user, binome):
        raise Http404
    return binome


def _contexte_binome(request, binome: Binome, **formulaires) -> dict:
    engagements = {e.utilisateur_id: e for e in Engagement.objects.filter(binome=binome).select_related("charte")}
    membre = est_membre(request.user, binome)
    modifiables = peut_modifier_objectifs(request.user, binome, timezone.localdate())
    return {
        "binome": binome,
        "promotion": binome.promotion,
        "moi": engagements.get(request.user.pk),
        "engagements": engagements,
        "mentor_engagement": engagements.get(binome.mentor.utilisateur_id),
        "mentore_engagement": engagements.get(binome.mentore.utilisateur_id),
        "role": binome.role_de(request.user),
        "autre": binome.autre_que(request.user),
        "est_membre": membre,
        # Objectives and the themes covered: the pair's own, never shown to the referent or the committee here.
        "objectifs": binome.objectifs if membre else None,
        "couverture": couverture.du_binome(binome) if membre else None,
        "form_objectifs": (formulaires.get("form_objectifs") or ObjectifsForm.du_binome(binome))
        if modifiables
        else None,
        "peut_enregistrer_arret": peut_enregistrer_arret(request.user, binome),
        "ouvert": not binome.est_clos,
        "confirmation_ouverte": timezone.localdate() >= binome.promotion.confirmation_ouverte_le(),
        "ouverture_confirmation": binome.promotion.confirmation_ouverte_le(),
        # Read only if the page shows it (a member who has not signed yet); the template calls it.
        "charte": functools.cache(lambda: Charte.objects.order_by("-version").first()),
        "form_charte": formulaires.get("form_charte") or SignatureCharteForm(),
        "form_engagement": formulaires.get("form_engagement") or EngagementForm(),
        "form_arret": formulaires.get("form_arret") or DemandeArretForm(),
        "formulaire_en_erreur": any(form.errors for form in formulaires.values()),
        "page_title": _("Mon binôme"),
        # The year's calendar shows only the promotion's values: a cached fragment under them.
        "fragment_promotion": fragments.empreinte(binome.promotion),
        "fragment_duree": fragments.DUREE,
        "questionnaires": questionnaires_de(request.user) if membre else None,
    }


@login_required
def espace(request):
    """The member's latest pair; a person without one sees an explanation. Kept in the cache per member until a table
    it shows changes (`pages_du_lecteur`)."""
    return pages_du_lecteur.servir_selon_les_tables(request, TABLES_DE_L_ESPACE, lambda: _espace(request))


def _espace(request):
    # Read with its people in one query: a member may always see their own pair.
    binome = (
        Binome.objects.de_l_utilisateur(request.user)
        .select_related(*AVEC_PERSONNES)
        .order_by("-promotion__journee_lancement", "-pk")
        .first()
    )
    if binome is None:
        return render(request, "binomes/sans_binome.html", {"page_title": _("Mon binôme")})
    contexte = _contexte_binome(request, binome)
    reponse = render(request, "binomes/espace.html", contexte)
    questionnaires = contexte["questionnaires"]
    if questionnaires is not None and questionnaires.prochain_changement is not None:
        # Kept in the cache no later than the hour a questionnaire opens or closes (the day is in its key).
        pages_du_lecteur.garder_au_plus(reponse, (questionnaires.prochain_changement - timezone.now()).total_seconds())
    return reponse


@login_required
def detail(request, pk: int):
    binome = get_binome_ou_404(request, pk)
    return render(request, "binomes/espace.html", _contexte_binome(request, binome))


def get_binome_du_membre_ou_404(request, pk: int) -> Binome:
    """The pair `pk` if the user is one of its two members, else 404."""
    binome = get_binome_ou_404(request, pk)
    if not est_membre(request.user, binome):
        raise Http404
    return binome


@login_required
@require_POST
def signer_charte(request, pk: int):
    binome = get_binome_du_membre_ou_404(request, pk)
    form = SignatureCharteForm(request.POST)
    if not form.is_valid():
        return render(request, "binomes/espace.html", _contexte_binome(request, binome, form_charte=form))
    try:
        services.signer_charte(binome=binome, utilisateur=request.user)
    except services.BinomeRefuse as refus:  # closed meanwhile
        messages.error(request, str(refus))
    else:
        messages.success(request, _("Vous avez signé la charte."))
    return redirect("binomes:detail", pk=binome.pk)


@login_required
@require_POST
def confirmer_engagement(request, pk: int):
    binome = get_binome_du_membre_ou_404(request, pk)
    form = EngagementForm(request.POST)
    if not form.is_valid():
        return render(request, "binomes/espace.html", _contexte_binome(request, binome, form_engagement=form))
    try:
        services.confirmer_engagement(binome=binome, utilisateur=request.user)
    except services.BinomeRefuse as refus:
        messages.error(request, str(refus))
    else:
        messages.success(request, _("Votre engagement est enregistré."))
    return redirect("binomes:detail", pk=binome.pk)


@login_required
@require_POST
def demander_arret(request, pk: int):
    binome = get_binome_du_membre_ou_404(request, pk)
    form = DemandeArretForm(request.POST)
    if not form.is_valid():
        return render(request, "binomes/espace.html", _contexte_binome(request, binome, form_arret=form))
    try:
        services.demander_arret(binome=binome, par=request.user, motif=form.cleaned_data["motif"])
    except services.BinomeRefuse as refus:  # asked already, or closed meanwhile
        messages.error(request, str(refus))
    else:
        messages.success(request, _("Votre demande d'arrêt est transmise à votre ingénieur référent."))
    return redirect("binomes:detail", pk=binome.pk)


@login_required
@require_POST
def modifier_objectifs(request, pk: int):
    binome = get_binome_du_membre_ou_404(request, pk)
    if not peut_modifier_objectifs(request.user, binome, timezone.localdate()):
        raise Http404  # the mentor, or a pair past its start: no form was offered
    form = ObjectifsForm(request.POST)
    if not form.is_valid():
        return render(request, "binomes/espace.html", _contexte_binome(request, binome, form_objectifs=form))
    try:
        services.modifier_objectifs(binome=binome, par=request.user, objectifs=form.saisis())
    except services.BinomeRefuse as refus:  # closed meanwhile
        messages.error(request, str(refus))
    else:
        messages.success(request, _("Les objectifs du binôme sont enregistrés."))
    return redirect("binomes:detail", pk=binome.pk)
