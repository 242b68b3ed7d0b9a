"""Management of the committee's accounts, reserved to superusers and written to the audit journal.

This is the only way a role is given or taken: the user admin shows roles, staff status and groups read-only,
to the pilot as to superusers, so that no tick box turns someone into a committee member without a trace.
"""

from django.contrib.auth.models import Group
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from . import journal, second_facteur
from .models import GROUPE_INGENIEUR, GROUPE_PILOTE, Utilisateur


class RoleAuComite(models.TextChoices):
    AUCUN = "aucun", _("Aucun : pas membre du comité")
    PILOTE = "pilote", _("Pilote du programme")
    INGENIEUR = "ingenieur", _("Ingénieur ou ingénieure en mentorat")


GROUPES = {RoleAuComite.PILOTE: GROUPE_PILOTE, RoleAuComite.INGENIEUR: GROUPE_INGENIEUR}


class CompteRefuse(Exception):
    """The change cannot be made; `str(exc)` is the French message."""


def role_de(utilisateur: Utilisateur) -> RoleAuComite:
    noms = set(utilisateur.groups.values_list("name", flat=True))
    for role, groupe in GROUPES.items():
        if groupe in noms:
            return role
    return RoleAuComite.AUCUN


def _appliquer_role(utilisateur: Utilisateur, role: RoleAuComite) -> None:
    utilisateur.groups.remove(*Group.objects.filter(name__in=GROUPES.values()))
    if role != RoleAuComite.AUCUN:
        utilisateur.groups.add(Group.objects.get(name=GROUPES[role]))
    # The admin is the committee's (and the superusers') workplace; nobody else needs it.
    utilisateur.is_staff = role != RoleAuComite.AUCUN or utilisateur.is_superuser
    utilisateur.save(update_fields=["is_staff"])


@transaction.atomic
def changer_role(*, utilisateur: Utilisateur, role: RoleAuComite, par: Utilisateur) -> None:
    """Give `utilisateur` the committee role `role` (or none), with the matching staff status; journaled."""
    avant = role_de(utilisateur)
    if avant == role:
        return
    _appliquer_role(utilisateur, role)
    journal.consigner(
        journal.Action.ROLE_CHANGE,
        par=par,
        objet=utilisateur,
        details={"avant": str(avant.label), "apres": str(role.label)},
    )


@transaction.atomic
def creer_compte(*, email: str, prenom: str, nom: str, role: RoleAuComite, par: Utilisateur) -> Utilisateur:
    """A new committee account, without a password: the person chooses one through « Mot de passe oublié »
    (or signs in with ProConnect), then enrols the second factor at the first sign-in."""
    if Utilisateur.objects.filter(email__iexact=email).exists():
        raise CompteRefuse(_("Un compte existe déjà à cette adresse : changez plutôt son rôle dans la liste."))
    utilisateur = Utilisateur.objects.create_user(email, None, prenom=prenom, nom=nom, email_confirme=True)
    journal.consigner(journal.Action.COMPTE_CREE, par=par, objet=utilisateur, details={"role": str(role.label)})
    _appliquer_role(utilisateur, role)
    return utilisateur


@transaction.atomic
def changer_activite(*, utilisateur: Utilisateur, actif: bool, par: Utilisateur) -> None:
    """Deactivate (nobody can sign in to it any more) or reactivate an account; journaled."""
    if utilisateur.pk == par.pk and not actif:
        raise CompteRefuse(_("Vous ne pouvez pas désactiver votre propre compte."))
    if utilisateur.is_active == actif:
        return
    utilisateur.is_active = actif
    utilisateur.save(update_fields=["is_active"])
    action = journal.Action.COMPTE_REACTIVE if actif else journal.Action.COMPTE_DESACTIVE
    journal.consigner(action, par=par, objet=utilisateur)


def reinitialiser_second_facteur(*, utilisateur: Utilisateur, par: Utilisateur) -> None:
    """Lost telephone and recovery codes: the person enrols again at the next sign-in; journaled."""
    second_facteur.reinitialiser(utilisateur=utilisateur, par=par)
