"""The signed-in account, read with the names of its groups and its second factor in one query.

Every page of a signed-in person asks who they are (Django's `get_user`, at the first use of `request.user`), then
which groups they belong to: the committee's middleware checks at once whether the account is the committee's
(`rules.compte_du_comite`), and the page's rules and its per-reader cache follow the groups (`rules.groupes`). A
committee member's page then asks which second factor verified the session (django-otp's middleware reads the device
whose id the session holds). Three queries, each costing more to build and send than the bare page's whole work.

On PostgreSQL the groups' names and the confirmed authenticator applications come with the account, in one query
written once per process (`_requete_du_compte`) and run with `Manager.raw()`: built by Django's ORM at each request
(an aggregate, a subquery of JSON objects), it took 7.3 ms, 3.6 ms of them building it, against 1.0 ms now. The
groups are kept on the account where `rules._groupes` reads them; `SecondFacteurDuCompte` takes the session's device
among the applications, and reads any other device (recovery codes) as django-otp does. A change of groups or devices
shows at the next request, as before: nothing is kept between requests.
"""

import functools
import json

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Model
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware
from django_otp.plugins.otp_totp.models import TOTPDevice

# Where `rules._groupes` keeps a user's group names for the rest of the request.
ATTRIBUT_GROUPES = "_groupes_mentorat"
# Where `SecondFacteurDuCompte` finds the account's confirmed authenticator applications, by persistent id.
ATTRIBUT_APPAREILS = "_appareils_totp_mentorat"


def compte_et_groupes(user_id):
    """The account `user_id` with its groups' names and its confirmed authenticator applications already read
    (PostgreSQL), or None if there is none."""
    modele = get_user_model()
    if connection.vendor != "postgresql":
        return modele._default_manager.filter(pk=user_id).first()
    lus = list(modele._default_manager.raw(_requete_du_compte(), [modele._meta.pk.to_python(user_id)]))
    if not lus:
        return None
    user = lus[0]
    setattr(user, ATTRIBUT_GROUPES, set(user.noms_des_groupes))
    appareils = [_instance(TOTPDevice, ligne) for ligne in json.loads(user.appareils_totp)]
    setattr(user, ATTRIBUT_APPAREILS, {appareil.persistent_id: appareil for appareil in appareils})
    return user


@functools.cache
def _requete_du_compte() -> str:
    """The account's row, its groups' names (an array) and its confirmed TOTP devices (a JSON array of their rows, as
    text: decoded here whatever the driver does with JSON), by the account's id. Names from the models, quoted: a
    renamed table or column follows."""
    q = connection.ops.quote_name
    compte, groupe, appareil = get_user_model()._meta, Group._meta, TOTPDevice._meta
    lien = compte.get_field("groups")
    noms = {
        "comptes": q(compte.db_table),
        "id_compte": q(compte.pk.column),
        "liens": q(lien.m2m_db_table()),
        "lien_compte": q(lien.m2m_column_name()),
        "lien_groupe": q(lien.m2m_reverse_name()),
        "groupes": q(groupe.db_table),
        "id_groupe": q(groupe.pk.column),
        "nom_groupe": q(groupe.get_field("name").column),
        "appareils": q(appareil.db_table),
        "id_appareil": q(appareil.pk.column),
        "proprietaire": q(appareil.get_field("user").column),
        "confirme": q(appareil.get_field("confirmed").column),
    }
    return """
        SELECT compte.*,
            ARRAY(
                SELECT groupe.{nom_groupe}
                FROM {liens} lien JOIN {groupes} groupe ON groupe.{id_groupe} = lien.{lien_groupe}
                WHERE lien.{lien_compte} = compte.{id_compte}
            ) AS noms_des_groupes,
            (
                SELECT coalesce(json_agg(appareil ORDER BY appareil.{id_appareil}), '[]')::text
                FROM {appareils} appareil
                WHERE appareil.{proprietaire} = compte.{id_compte} AND appareil.{confirme}
            ) AS appareils_totp
        FROM {comptes} compte
        WHERE compte.{id_compte} = %s
    """.format(**noms)  # noqa: S608 - names from the models, quoted; the id is a parameter


def _instance(modele: type[Model], ligne: dict) -> Model:
    """The instance of `modele` a query would have read from `ligne` (its row as JSON: dates as text)."""
    champs = modele._meta.concrete_fields
    valeurs = [champ.to_python(ligne[champ.column]) for champ in champs]
    return modele.from_db(connection.alias, [champ.attname for champ in champs], valeurs)


class ComptesEtGroupes(ModelBackend):
    """Django's backend (password sign-in, permissions), whose `get_user` reads the groups with the account."""

    def get_user(self, user_id):
        user = compte_et_groupes(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class SecondFacteurDuCompte(OTPMiddleware):
    """django-otp's middleware (`request.user.otp_device`, `is_verified()`), taking the session's device among the
    confirmed ones read with the account (`compte_et_groupes`) rather than reading it again. The same checks then
    apply (the device is the account's and confirmed); a device not found there is read as django-otp reads it."""

    def _verify_user_sync(self, request, user):
        appareils = getattr(user, ATTRIBUT_APPAREILS, None)
        identifiant = request.session.get(DEVICE_ID_SESSION_KEY) if user.is_authenticated else None
        if appareils is None or not identifiant:
            return super()._verify_user_sync(request, user)
        self._init_user_fields(user)
        appareil = appareils.get(self._normalize_persistent_id(identifiant))
        if appareil is None:
            appareil = self._device_from_persistent_id(identifiant)
        user.otp_device = self._finalize_device(request, user, appareil)
        return user
