"""The signed-in account, read with the names of its groups in one query.

Every page of a signed-in person asks who they are (Django's `get_user`, at the first use of `request.user`), then
which groups they belong to: the committee's middleware checks at once whether the account is the committee's
(`rules.compte_du_comite`), and the page's rules and its per-reader cache follow the groups (`rules.groupes`). Two
queries, each costing more to build and send than the bare page's whole work: on PostgreSQL the groups come with the
account, aggregated into one array, and are kept on it where `rules._groupes` reads them. A change of groups shows at
the next request, as before; nothing is cached between requests.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection
from django.db.models import Q, Value

# Where `rules._groupes` keeps a user's group names for the rest of the request.
ATTRIBUT_GROUPES = "_groupes_mentorat"


def compte_et_groupes(user_id):
    """The account `user_id` with its groups' names already read (PostgreSQL), or None if there is none."""
    modele = get_user_model()
    comptes = modele._default_manager.all()
    if connection.vendor == "postgresql":
        comptes = comptes.annotate(
            noms_des_groupes=ArrayAgg("groups__name", filter=Q(groups__isnull=False), default=Value([]))
        )
    try:
        user = comptes.get(pk=user_id)
    except modele.DoesNotExist:
        return None
    if hasattr(user, "noms_des_groupes"):
        setattr(user, ATTRIBUT_GROUPES, set(user.noms_des_groupes))
    return user


class ComptesEtGroupes(ModelBackend):
    """Django's backend (password sign-in, permissions), whose `get_user` reads the groups with the account."""

    def get_user(self, user_id):
        user = compte_et_groupes(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
