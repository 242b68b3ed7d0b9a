"""Sign-in events of committee accounts: their session's rules, and their lines in the audit journal."""

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from . import journal
from .middleware import CLE_ACTIVITE
from .models import Promotion, Utilisateur
from .rules import compte_du_comite
from .second_facteur import BACKEND_PROCONNECT, CLE_MFA_PROCONNECT


def _compte_du_comite(identifiant) -> Utilisateur | None:
    """The committee account signed in as `identifiant` (an e-mail typed in a form), or None."""
    if not isinstance(identifiant, str) or not identifiant.strip():
        return None
    utilisateur = Utilisateur.objects.filter(email__iexact=identifiant.strip()).first()
    return utilisateur if utilisateur is not None and compte_du_comite(utilisateur) else None


@receiver(user_logged_in, dispatch_uid="mentorat_connexion")
def connexion(sender, request, user, **kwargs) -> None:
    if request is None:
        return
    # A provider's second factor counts for the sign-in that asserted it, never for a later one in this session.
    request.session.pop(CLE_MFA_PROCONNECT, None)
    if not compte_du_comite(user):
        return
    # The committee's session ends with the browser, and after a short inactivity (SessionDuComiteMiddleware).
    request.session.set_expiry(0)
    request.session[CLE_ACTIVITE] = int(time.time())
    methode = "proconnect" if getattr(user, "backend", "") == BACKEND_PROCONNECT else "mot_de_passe"
    journal.consigner(journal.Action.CONNEXION, par=user, request=request, details={"methode": methode})


@receiver(user_login_failed, dispatch_uid="mentorat_connexion_echouee")
def connexion_echouee(sender, credentials, request=None, **kwargs) -> None:
    utilisateur = _compte_du_comite(credentials.get("username"))
    if utilisateur is not None:
        journal.consigner(journal.Action.CONNEXION_ECHOUEE, par=utilisateur, request=request)


@receiver(user_locked_out, dispatch_uid="mentorat_connexion_bloquee")
def connexion_bloquee(sender, request, username, ip_address, **kwargs) -> None:
    utilisateur = _compte_du_comite(username)
    if utilisateur is not None:
        journal.consigner(journal.Action.CONNEXION_BLOQUEE, par=utilisateur, request=request)


def _fragments_publics(sender, **kwargs) -> None:
    from . import fragments

    fragments.invalider()


def connecter_fragments_publics() -> None:
    """The application forms show the themes, the syntheses the questions, the public pages the current promotion
    (`fragments.promotion_courante`): a change of one gives the cached fragments a new version."""
    from django.db.models.signals import post_delete, post_save

    from candidatures.models import Theme
    from evaluation.models import Question

    for modele in (Theme, Question, Promotion):
        for signal in (post_save, post_delete):
            signal.connect(_fragments_publics, sender=modele, dispatch_uid=f"fragments_{modele.__name__}_{id(signal)}")
