"""Who may do what: named predicates, used by views and templates alike."""

from .authentification import ATTRIBUT_GROUPES
from .models import GROUPE_INGENIEUR, GROUPE_PILOTE


def _groupes(user) -> set[str]:
    # Kept on the user object: templates call several predicates per page. The signed-in account's come with it
    # (`mentorat.authentification`): no query here for them.
    if not hasattr(user, ATTRIBUT_GROUPES):
        noms = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
        setattr(user, ATTRIBUT_GROUPES, noms)
    return getattr(user, ATTRIBUT_GROUPES)


def groupes(user) -> list[str]:
    """The names of `user`'s groups, sorted (what their roles follow: a page cached per reader is keyed on them)."""
    return sorted(_groupes(user))


def est_ingenieur(user) -> bool:
    return user.is_active and GROUPE_INGENIEUR in _groupes(user)


def est_membre_du_comite(user) -> bool:
    """Pilot or mentoring engineer: studies applications, forms and follows the pairs."""
    return user.is_active and bool(_groupes(user) & {GROUPE_PILOTE, GROUPE_INGENIEUR})


def est_pilote(user) -> bool:
    return user.is_active and GROUPE_PILOTE in _groupes(user)


def compte_du_comite(user) -> bool:
    """Staff, superusers, the pilot and the engineers: accounts that read everyone's personal data. They need a
    second factor after a password, and their sessions end sooner (`mentorat.middleware`)."""
    return user.is_authenticated and (user.is_staff or user.is_superuser or est_membre_du_comite(user))


def peut_gerer_les_comptes_du_comite(user) -> bool:
    """Creating committee accounts, changing roles and resetting second factors: superusers only."""
    return user.is_authenticated and user.is_active and user.is_superuser
