"""The pairs the committee forbids by hand."""

from django.db import transaction
from django.utils.translation import gettext as _

from candidatures.models import Candidature, Role
from mentorat import journal
from mentorat.models import Promotion, Utilisateur

from ..exceptions import AppariementRefuse
from ..models import Exclusion
from .proposition import verifier_retenue


@transaction.atomic
def exclure(
    *, promotion: Promotion, mentore: Candidature, mentor: Candidature, motif: str, par: Utilisateur
) -> Exclusion:
    """Record a pair the committee forbids, journaled; both must be retained candidates of `promotion` in their role."""
    verifier_retenue(mentore, promotion, Role.MENTORE)
    verifier_retenue(mentor, promotion, Role.MENTOR)
    exclusion, cree = Exclusion.objects.get_or_create(
        mentore=mentore, mentor=mentor, defaults={"promotion": promotion, "motif": motif, "cree_par": par}
    )
    if not cree:
        raise AppariementRefuse(_("Cette exclusion est déjà enregistrée."))
    journal.consigner(journal.Action.EXCLUSION, par=par, objet=exclusion, details={"motif": motif})
    return exclusion
