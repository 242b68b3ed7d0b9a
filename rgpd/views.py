"""A person's own data: see what is kept, download it (JSON, PDF), ask for its erasure."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mentorat.models import Promotion
from mentorat.pdf import rendre_pdf
from mentorat.rules import compte_du_comite

from . import conservation, services
from .forms import DemandeEffacementForm
from .models import StatutDemande


def politique(request):
    """The privacy page: what is kept, how long (the settings the code applies), and how to exercise one's rights."""
    promotion = Promotion.objects.courante()
    contexte = {
        "page_title": _("Données personnelles"),
        "durees": conservation.durees(),
        "contact": promotion.email_contact if promotion else "",
    }
    return render(request, "mentorat/donnees_personnelles.html", contexte)


def _nom_de_fichier(extension: str) -> str:
    return f"mes-donnees-mentorat-{timezone.localdate():%Y-%m-%d}.{extension}"


@login_required
def mes_donnees(request, form: DemandeEffacementForm | None = None):
    demande = request.user.demandes_effacement.filter(statut=StatutDemande.EN_ATTENTE).first()
    contexte = {
        "page_title": _("Mes données personnelles"),
        "form": form or DemandeEffacementForm(),
        "demande": demande,
        "peut_demander": not compte_du_comite(request.user),
        "durees": conservation.durees(),
    }
    return render(request, "rgpd/mes_donnees.html", contexte, status=400 if form else 200)


@login_required
@never_cache
def telecharger_json(request):
    from .donnees import donnees_de

    contenu = json.dumps(donnees_de(request.user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    reponse = HttpResponse(contenu, content_type="application/json; charset=utf-8")
    reponse["Content-Disposition"] = f'attachment; filename="{_nom_de_fichier("json")}"'
    return reponse


@login_required
@never_cache
def telecharger_pdf(request):
    from .donnees import donnees_de

    titre = _("Mes données personnelles")
    pdf = rendre_pdf("rgpd/pdf/mes_donnees.html", {"titre": titre, "donnees": donnees_de(request.user)})
    reponse = HttpResponse(pdf, content_type="application/pdf")
    reponse["Content-Disposition"] = f'attachment; filename="{_nom_de_fichier("pdf")}"'
    return reponse


@login_required
@require_POST
def demander_effacement(request):
    # A committee account is closed by the committee's account management, not erased from here.
    if compte_du_comite(request.user):
        raise PermissionDenied
    form = DemandeEffacementForm(request.POST)
    if not form.is_valid():
        return mes_donnees(request, form)
    services.demander_effacement(utilisateur=request.user, message=form.cleaned_data["message"])
    messages.success(
        request,
        _("Votre demande d'effacement est enregistrée : un ingénieur en mentorat vous répondra par courriel."),
    )
    return redirect("rgpd:mes_donnees")
