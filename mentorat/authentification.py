"""The signed-in account, read with the names of its groups in one query.

Every page of a signed-in person asks who they are (Django's `get_user`, at the first use of `request.user`), then
which groups they belong to: the committee's middleware checks at once whether the account is the committee's
(`rules.compte_du_comite`), and the page's rules and its per-reader cache follow the groups (`rules.groupes`). Two
queries, each costing more to build and send than the bare page's whole work: on PostgreSQL the groups come with the
account, aggregated into one array, and are kept on it where `rules._groupes` reads them. A change of groups shows at
the next request, as before; nothing is cached between requests.

A committee member's page then asks which second factor verified the session (django-otp's middleware reads the
device whose id the session holds: a third query). Their confirmed authenticator applications come with the account
too, and `SecondFacteurDuCompte` takes the session's device among them; any other device (recovery codes) is read as
django-otp reads it.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import Model, OuterRef, Q, Value
from django.db.models.functions import JSONObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware
from django_otp.plugins.otp_totp.models import TOTPDevice

# Where `rules._groupes` keeps a user's group names for the rest of the request.
ATTRIBUT_GROUPES = "_groupes_mentorat"
# Where `SecondFacteurDuCompte` finds the account's confirmed authenticator applications, by persistent id.
ATTRIBUT_APPAREILS = "_appareils_totp_mentorat"


def compte_et_groupes(user_id):
    """The account `user_id` with its groups' names already read (PostgreSQL), or None if there is none."""
    modele = get_user_model()
    comptes = modele._default_manager.all()
    if connection.vendor == "postgresql":
        comptes = comptes.annotate(
            noms_des_groupes=ArrayAgg("groups__name", filter=Q(groups__isnull=False), default=Value([])),
            appareils_totp=_appareils_confirmes(),
        )
    try:
        user = comptes.get(pk=user_id)
    except modele.DoesNotExist:
        return None
    if hasattr(user, "noms_des_groupes"):
        setattr(user, ATTRIBUT_GROUPES, set(user.noms_des_groupes))
        appareils = [_instance(TOTPDevice, ligne) for ligne in user.appareils_totp]
        setattr(user, ATTRIBUT_APPAREILS, {appareil.persistent_id: appareil for appareil in appareils})
    return user


def _appareils_confirmes() -> ArraySubquery:
    """The account's confirmed TOTP devices, each row as a JSON object of its columns."""
    colonnes = {champ.attname: champ.attname for champ in TOTPDevice._meta.concrete_fields}
    appareils = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True).order_by("pk")
    return ArraySubquery(appareils.values(ligne=JSONObject(**colonnes)))


def _instance(modele: type[Model], ligne: dict) -> Model:
    """The instance of `modele` a query would have read from `ligne` (its columns as JSON: dates as text)."""
    champs = modele._meta.concrete_fields
    valeurs = [champ.to_python(ligne[champ.attname]) for champ in champs]
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
