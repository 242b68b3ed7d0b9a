"""The audit journal: who decided, changed, exported or viewed what, and the committee's sign-ins.

Services and views call `consigner` at the moment of the action, inside the action's own transaction when
there is one (the entry then exists exactly when the action does). Entries are never changed nor deleted
by the application; `purger` (the retention period) and `anonymiser` (an erased person's name and address in the
entries' textual copies) are the two, explicit, exceptions.

The journal never names a questionnaire's invitation, response or value, nor the sending of an invitation:
a dated line beside them would tell who answered when.
"""

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Cast, Replace

from .models import Action, EntreeJournal, Utilisateur

__all__ = ["Action", "anonymiser", "consigner", "purger"]

# Anonymity of the questionnaires: none of these may ever appear in the journal.
JAMAIS_JOURNALISES = frozenset(
    {
        "evaluation.invitation",
        "evaluation.reponse",
        "evaluation.reponseenattente",
        "evaluation.valeur",
        "evaluation.envoi",
    }
)


def adresse_ip(request) -> str | None:
    """The client's address, as the sign-in throttling sees it (see `mentorat.limites.adresse_client`)."""
    from .limites import adresse_client

    return adresse_client(request) if request is not None else None


def consigner(
    action: Action,
    *,
    par: Utilisateur | None,
    objet: models.Model | None = None,
    details: dict[str, Any] | None = None,
    request=None,
    libelle: str = "",
) -> EntreeJournal:
    """Record one journal entry and return it.

    `par`: who acted (None for an unknown person, e.g. a failed sign-in on an address without an account:
    `libelle` then says what was typed). `objet`: the model instance acted upon, if any. `details`: what a
    reader needs to understand the action (before/after values, format, number of rows), JSON-serialisable.
    `request`: gives the client's IP address (sign-ins). Raises `ValueError` for a questionnaire's invitation,
    response or value.
    """
    objet_type = None
    if objet is not None:
        if objet._meta.label_lower in JAMAIS_JOURNALISES:
            raise ValueError(f"Le journal ne couvre jamais {objet._meta.label} (anonymat des questionnaires).")
        objet_type = ContentType.objects.get_for_model(objet, for_concrete_model=False)
    return EntreeJournal.objects.create(
        action=action,
        par=par if par is not None and par.pk else None,
        par_libelle=(par.email if par is not None and par.pk else libelle)[:300],
        objet_type=objet_type,
        objet_id=str(objet.pk) if objet is not None else "",
        objet_libelle=str(objet)[:300] if objet is not None else "",
        details=details or {},
        adresse_ip=adresse_ip(request),
    )


def purger(*, avant: datetime.datetime) -> int:
    """Delete the entries older than `avant` (retention); returns how many. The only deletion the journal allows."""
    # QuerySet.delete() is refused on the journal; the raw delete bypasses it for this one purpose.
    entrees = EntreeJournal.objects.filter(le__lt=avant)
    return entrees._raw_delete(entrees.db)


def _remplacer_partout(valeur: Any, ancien: str, nouveau: str) -> Any:
    if isinstance(valeur, str):
        return valeur.replace(ancien, nouveau)
    if isinstance(valeur, list):
        return [_remplacer_partout(v, ancien, nouveau) for v in valeur]
    if isinstance(valeur, dict):
        return {k: _remplacer_partout(v, ancien, nouveau) for k, v in valeur.items()}
    return valeur


def anonymiser(*, anciens: list[str], nouveau: str) -> int:
    """Replace each of `anciens` (an erased person's name and e-mail address) by `nouveau` in the entries' person,
    object and details; the entries themselves stay. Returns how many entries changed."""
    modifiees: set[int] = set()
    # QuerySet.update() is refused on the journal; the plain QuerySet's update is used for this one purpose.
    ecrire = models.QuerySet.update
    for ancien in filter(None, anciens):
        contient = Q(par_libelle__contains=ancien) | Q(objet_libelle__contains=ancien)
        touchees = EntreeJournal.objects.filter(contient)
        modifiees.update(touchees.values_list("pk", flat=True))
        ecrire(
            touchees,
            par_libelle=Replace(F("par_libelle"), Value(ancien), Value(nouveau)),
            objet_libelle=Replace(F("objet_libelle"), Value(ancien), Value(nouveau)),
        )
        # Details are JSON: read the few entries that mention the person, rewrite them whole.
        dans_les_details = EntreeJournal.objects.annotate(texte=Cast("details", TextField())).filter(
            texte__contains=ancien
        )
        for pk, details in dans_les_details.values_list("pk", "details"):
            ecrire(EntreeJournal.objects.filter(pk=pk), details=_remplacer_partout(details, ancien, nouveau))
            modifiees.add(pk)
    return len(modifiees)
