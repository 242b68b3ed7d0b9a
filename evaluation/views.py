import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorat import fragments, pages_du_lecteur, pages_publiques

from . import pdf, rules, services, synthese
from .forms import QuestionnaireForm, RedactionForm
from .models import Campagne, Invitation, Question


def get_campagne_ou_404(request, pk: int, predicat=rules.peut_voir_synthese) -> Campagne:
    """The campaign if `request.user` may see it (per `predicat`), else 404."""
    campagne = Campagne.objects.select_related("promotion").filter(pk=pk).first()
    if campagne is None or not predicat(request.user, campagne):
        raise Http404
    return campagne


def _compte(modele, **filtre):
    sous = modele.objects.filter(campagne=OuterRef("pk"), **filtre).values("campagne").annotate(n=Count("pk"))
    return Coalesce(Subquery(sous.values("n")), 0)


@login_required
def campagnes(request):
    if not rules.peut_lister_campagnes(request.user):
        raise PermissionDenied
    liste = Campagne.objects.select_related("promotion").annotate(
        nb_invites=_compte(Invitation), nb_reponses=_compte(Invitation, a_repondu=True)
    )
    return render(request, "evaluation/campagnes.html", {"campagnes": liste, "page_title": _("Évaluation")})


@login_required
def mes_syntheses(request):
    liste = Campagne.objects.publiees().filter(invitations__utilisateur=request.user).select_related("promotion")
    return render(
        request, "evaluation/mes_syntheses.html", {"campagnes": liste, "page_title": _("Synthèses des évaluations")}
    )


def _page_synthese(request, campagne: Campagne, form: RedactionForm | None = None):
    contexte = {
        "campagne": campagne,
        "page_title": str(campagne),
        "peut_rediger": rules.peut_rediger_synthese(request.user, campagne),
        "seuil_verbatims": settings.EVALUATION_SEUIL_VERBATIM,
        "fragment_duree": fragments.DUREE,
    }
    if campagne.est_close():
        services.clore_si_besoin(campagne)
        # A closed campaign's figures change only with the campaign itself (its answers are moved in once, which
        # marks it) or a question: computed once, then kept in the cache under a key that says all that.
        cle = synthese.cle_de_cache(campagne)
        # Their HTML too (the same for everyone who may see them), under the same key: the figures are read (from the
        # cache, or computed) only if the page's cached fragment of results is missing (the template calls it).
        contexte["synthese"] = functools.cache(functools.partial(synthese.en_cache, campagne, cle))
        contexte["fragment_resultats"] = cle
        if rules.peut_lire_verbatims(request.user):
            # Read only if the page's cached fragment of free answers is missing (the template calls it).
            contexte["verbatims"] = functools.cache(functools.partial(synthese.verbatims, campagne))
            contexte["fragment_verbatims"] = cle
    if contexte["peut_rediger"] and not campagne.est_publiee:
        if form is None:
            # The form not sent yet shows the campaign's own text: its HTML cached under the campaign's values.
            contexte["fragment_redaction"] = f"{campagne.pk}:{fragments.empreinte(campagne)}"
        contexte["form"] = form or RedactionForm(
            initial={"commentaire": campagne.commentaire, "extraits": "\n".join(campagne.extraits)}
        )
    return render(request, "evaluation/synthese.html", contexte)


@login_required
def synthese_campagne(request, pk: int):
    campagne = get_campagne_ou_404(request, pk)
    if campagne.est_close():
        services.clore_si_besoin(campagne)
    # The page follows only the reader and the campaign (its figures and free answers once closed): kept whole for
    # that reader (`mentorat.pages_du_lecteur`), under the campaign's and its promotion's values, its state at this
    # time, the thresholds (`synthese.cle_sans_les_questions`) and the questions' version, read with the page.
    cle = ":".join(
        [synthese.cle_sans_les_questions(campagne), fragments.empreinte(campagne.promotion), str(campagne.est_close())]
    )
    return pages_du_lecteur.servir(request, cle, lambda: _page_synthese(request, campagne), selon_les_fragments=True)


@login_required
@require_POST
def rediger(request, pk: int):
    campagne = get_campagne_ou_404(request, pk, rules.peut_rediger_synthese)
    if campagne.est_publiee:
        messages.error(request, _("La synthèse publiée ne peut plus être modifiée."))
        return redirect("evaluation:synthese", pk=campagne.pk)
    form = RedactionForm(request.POST)
    if not form.is_valid():
        # The page again, with the errors beside the fields and what was typed kept.
        return _page_synthese(request, campagne, form)
    services.rediger_synthese(campagne=campagne, **form.cleaned_data)
    messages.success(request, _("Commentaire et extraits enregistrés."))
    return redirect("evaluation:synthese", pk=campagne.pk)


@login_required
@require_POST
def publier(request, pk: int):
    campagne = get_campagne_ou_404(request, pk, rules.peut_rediger_synthese)
    if not campagne.est_close():
        messages.error(request, _("La synthèse ne peut être publiée qu'après la clôture de la campagne."))
    else:
        try:
            services.publier_synthese(campagne=campagne, par=request.user)
            messages.success(request, _("Synthèse publiée : les participants et le comité en sont informés."))
        except services.DejaPubliee:
            messages.info(request, _("Cette synthèse était déjà publiée."))
    return redirect("evaluation:synthese", pk=campagne.pk)


@login_required
def telecharger_pdf(request, pk: int):
    campagne = get_campagne_ou_404(request, pk)
    if not campagne.est_close():
        raise Http404
    services.clore_si_besoin(campagne)
    reponses = campagne.reponses.count()
    if reponses > pdf.SEUIL_ARRIERE_PLAN:
        return redirect("suivi:export", pk=pdf.export_de_la_synthese(campagne, request.user, reponses).pk)
    pdf.journaliser(request.user, campagne)
    reponse = HttpResponse(pdf.synthese_pdf(campagne), content_type="application/pdf")
    reponse["Content-Disposition"] = f'attachment; filename="synthese-evaluation-{campagne.pk}.pdf"'
    return reponse


def questionnaire(request, jeton: str):
    try:
        invitation = services.invitation_du_jeton(jeton)
    except services.QuestionnaireIndisponible as refus:
        return _indisponible(request, refus.motif)
    if request.method == "GET":
        # The same questionnaire for everyone invited to the campaign (the token in the address was read above):
        # an anonymous visitor's page comes whole from the cache, under the campaign's values and the questions'
        # version (bumped when a question changes).
        campagne = invitation.campagne
        return pages_publiques.servir(
            request,
            f"questionnaire:{campagne.pk}:{fragments.empreinte(campagne)}:{fragments.version()}",
            lambda: _page_questionnaire(request, invitation, None),
            par_adresse=False,
        )
    return _page_questionnaire(request, invitation, request.POST)


def _page_questionnaire(request, invitation, donnees):
    questions = list(Question.objects.filter(active=True))
    form = QuestionnaireForm(donnees, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.repondre(invitation_id=invitation.pk, valeurs=form.valeurs())
        except services.QuestionnaireIndisponible as refus:
            return _indisponible(request, refus.motif)
        return render(request, "evaluation/merci.html", {"page_title": _("Réponse enregistrée")})
    contexte = {"form": form, "campagne": invitation.campagne, "page_title": _("Questionnaire d'évaluation")}
    return render(request, "evaluation/questionnaire.html", contexte)


def _indisponible(request, motif: str):
    statut = 404 if motif == services.QuestionnaireIndisponible.INVALIDE else 410
    contexte = {"motif": motif, "page_title": _("Questionnaire indisponible")}
    return render(request, "evaluation/indisponible.html", contexte, status=statut)
