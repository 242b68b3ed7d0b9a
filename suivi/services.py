"""Writes of the follow-up: meetings, transmissions, reminders and calendar tokens."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from binomes.models import Binome
from candidatures.models import Theme
from mentorat import courriels, emails

from . import rappels
from .models import EtatRencontre, JetonCalendrier, Moment, Rappel, Rencontre, Transmission, TypeRappel


def envoyer_apres_commit(rappel_ids: Iterable[int]) -> None:
    for pk in rappel_ids:
        courriels.apres_commit(Rappel.tache_envoi, pk)


def _precedente_tenue(binome: Binome, date: datetime.date, exclure: int | None) -> datetime.date:
    precedente = binome.rencontres.tenues().filter(date__lt=date).exclude(pk=exclure).order_by("-date").first()
    return precedente.date if precedente else binome.promotion.journee_lancement


class RencontreAVenir(Exception):
    """A meeting whose date is ahead cannot have taken place."""


def marquer_rencontre_tenue(*, rencontre: Rencontre, par, aujourd_hui: datetime.date | None = None) -> Rencontre:
    """Record that a planned meeting took place (the only change of `Rencontre.etat`); the row is locked.

    Side effects: when it comes more than `promotion.ecart_max` after the previous
    held meeting (or the launch day), a `Rappel` "écart dépassé" is created and its
    e-mail to the referent is enqueued after commit. Raises `RencontreAVenir` for a meeting ahead.
    """
    aujourd_hui = aujourd_hui or timezone.localdate()
    if rencontre.date > aujourd_hui:
        raise RencontreAVenir(_("Une rencontre à venir ne peut pas être marquée comme tenue."))
    with transaction.atomic():
        Rencontre.objects.select_for_update().only("pk").get(pk=rencontre.pk)  # one change of this meeting at a time
        rencontre.etat = EtatRencontre.TENUE
        rencontre.notee_par = par
        rencontre.save(update_fields=["etat", "notee_par", "modifie_le"])
        binome = rencontre.binome
        precedente = _precedente_tenue(binome, rencontre.date, exclure=rencontre.pk)
        if rappels.ecart_depasse(precedente, rencontre.date, binome.promotion.ecart_max):
            rappel, cree = Rappel.objects.get_or_create(
                binome=binome, type=TypeRappel.ECART_DEPASSE, date_reference=precedente
            )
            if cree:
                envoyer_apres_commit([rappel.pk])
    return rencontre


def enregistrer_rencontre(
    *,
    binome: Binome,
    par,
    date: datetime.date,
    mode: str,
    themes: Iterable[Theme],
    autre_theme: str = "",
    aujourd_hui: datetime.date | None = None,
) -> Rencontre:
    """Log a meeting: planned when its date is ahead, held otherwise (then see `marquer_rencontre_tenue`)."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    with transaction.atomic():
        rencontre = Rencontre.objects.create(
            binome=binome, date=date, mode=mode, autre_theme=autre_theme, notee_par=par, etat=EtatRencontre.PREVUE
        )
        rencontre.themes.set(themes)
        if date <= aujourd_hui:
            marquer_rencontre_tenue(rencontre=rencontre, par=par, aujourd_hui=aujourd_hui)
    return rencontre


def modifier_rencontre(
    *, rencontre: Rencontre, par, date: datetime.date, mode: str, themes: Iterable[Theme], autre_theme: str = ""
) -> Rencontre:
    """Correct the date, mode or themes of a meeting; its state is kept."""
    with transaction.atomic():
        rencontre.date, rencontre.mode, rencontre.autre_theme, rencontre.notee_par = date, mode, autre_theme, par
        rencontre.save()
        rencontre.themes.set(themes)
    return rencontre


def supprimer_rencontre(*, rencontre: Rencontre) -> None:
    with transaction.atomic():
        rencontre.delete()


def transmettre_tableau(*, binome: Binome, moment: Moment, par) -> Transmission:
    """The pair sends its tracking table to the engineers; sending again for the same moment keeps the first."""
    with transaction.atomic():
        transmission, _cree = Transmission.objects.get_or_create(
            binome=binome, moment=moment, defaults={"transmise_par": par}
        )
    return transmission


def binomes_a_relancer(aujourd_hui: datetime.date):
    """Active pairs silent for six weeks or more today, with their reference date: one query.

    Rows: (pk, reference, journee_lancement, fin, ecart_max_semaines, prevue_a_venir).
    "Silent since the threshold" is an anti-join (no meeting held since), and the last held meeting
    is looked up only for the pairs that pass it, in the select list: both are served by the unique
    index on (binome, date). Filtering on the reference itself would make Django repeat its subquery
    in the WHERE clause, run for every active pair. "A meeting is planned ahead" reads the partial
    index of planned meetings.
    """
    seuil = aujourd_hui - datetime.timedelta(days=rappels.JOURS_RELANCE)
    tenues = Rencontre.objects.filter(binome=OuterRef("pk"), etat=EtatRencontre.TENUE, date__lte=aujourd_hui)
    derniere_tenue = tenues.order_by("-date").values("date")[:1]
    return (
        Binome.objects.actifs()
        .filter(promotion__journee_lancement__lte=aujourd_hui, promotion__fin__gte=aujourd_hui)
        # reference <= seuil: nothing held since the threshold, and a meeting held before it or a launch before it.
        .exclude(Exists(tenues.filter(date__gt=seuil)))
        .filter(Q(promotion__journee_lancement__lte=seuil) | Exists(tenues))
        .annotate(reference=Coalesce(Subquery(derniere_tenue), F("promotion__journee_lancement")))
        .annotate(
            prevue_a_venir=Exists(
                Rencontre.objects.filter(binome=OuterRef("pk"), etat=EtatRencontre.PREVUE, date__gte=aujourd_hui)
            )
        )
        .order_by()  # the rows are read once; sorting 100,000 of them would only cost time
        .values_list(
            "pk",
            "reference",
            "promotion__journee_lancement",
            "promotion__fin",
            "promotion__ecart_max_semaines",
            "prevue_a_venir",
        )
    )


def creer_rappels_dus(*, aujourd_hui: datetime.date) -> list[int]:
    """Create today's due reminders and return the ids of every reminder still to send.

    Set-based: one selection query, one insert ignoring the rows that already
    exist (the unique constraint makes a second run create nothing), one query
    for the unsent ids (which also picks up the sends a killed worker left).
    """
    nouveaux = []
    for pk, reference, lancement, fin, semaines, prevue in binomes_a_relancer(aujourd_hui).iterator(chunk_size=5000):
        silence = rappels.Silence(lancement, fin, reference, datetime.timedelta(weeks=semaines), prevue)
        type_du = rappels.rappel_du(silence, aujourd_hui)
        if type_du:
            nouveaux.append(Rappel(binome_id=pk, type=type_du, date_reference=reference))
    with transaction.atomic():
        Rappel.objects.bulk_create(nouveaux, ignore_conflicts=True)
    return list(Rappel.objects.a_envoyer().values_list("pk", flat=True))


def _destinataires(rappel: Rappel) -> tuple[list[str], list[str]]:
    binome = rappel.binome
    mentore, mentor, referent = binome.mentore.utilisateur, binome.mentor.utilisateur, binome.referent
    if rappel.type == TypeRappel.PLANIFIER:
        return [mentore.email], [mentor.email]  # the mentee paces the relationship
    if rappel.type == TypeRappel.ALERTE:
        return [mentore.email, mentor.email], [referent.email]
    return [referent.email], []


def envoyer_rappel(*, rappel_id: int) -> bool:
    """Send one reminder unless it was sent, another worker holds it or the pair stopped since; True when sent now.

    Side effects: those of `emails.reserver_et_envoyer` (claim, send, `envoye_le`; on an SMTP error the
    claim is released, `derniere_erreur` recorded and the error raised so that the task retries).
    """

    def envoyer() -> None:
        rappel = Rappel.objects.select_related(
            "binome__promotion", "binome__mentor__utilisateur", "binome__mentore__utilisateur", "binome__referent"
        ).get(pk=rappel_id)
        a, cc = _destinataires(rappel)
        contexte = {
            "rappel": rappel,
            "binome": rappel.binome,
            "promotion": rappel.binome.promotion,
            # Counted when the e-mail leaves, not when the reminder was recorded: a send retried or delayed
            # by a week says seven weeks, not six.
            "silence_semaines": rappels.semaines_de_silence(rappel.date_reference, timezone.localdate()),
        }
        emails.envoyer(f"suivi-{rappel.type.replace('_', '-')}", a, contexte, cc=cc)

    return courriels.reserver_et_envoyer(Rappel.envoyables(), rappel_id, envoyer)


def jeton_calendrier(*, utilisateur) -> JetonCalendrier:
    jeton, _cree = JetonCalendrier.objects.get_or_create(utilisateur=utilisateur)
    return jeton


def regenerer_jeton_calendrier(*, utilisateur) -> JetonCalendrier:
    """A new secret for the personal calendar feed: the previous URL stops working."""
    from .models import nouveau_jeton

    with transaction.atomic():
        jeton, _cree = JetonCalendrier.objects.update_or_create(
            utilisateur=utilisateur, defaults={"jeton": nouveau_jeton()}
        )
    return jeton


def demander_export(*, promotion, par, type_export: str, filtres: dict, nombre_de_binomes: int = 0):
    """Record an export to produce in the background and enqueue its task once committed; return it.

    Side effects: a row `Export` (waiting, expiring after `EXPORTS_DUREE_HEURES`); the task
    `suivi.tasks.produire_export` after commit (a broker that cannot be reached is logged, the row waits).
    """
    from django.conf import settings

    from .models import Export

    with transaction.atomic():
        export = Export.objects.create(
            type=type_export,
            demandeur=par,
            promotion=promotion,
            filtres=filtres,
            nombre_de_binomes=nombre_de_binomes,
            expire_le=timezone.now() + datetime.timedelta(hours=settings.EXPORTS_DUREE_HEURES),
        )
        courriels.apres_commit("suivi.tasks.produire_export", str(export.pk))
    return export


def produire_export(*, export_id) -> bool:
    """Produce a waiting export: claim it (one UPDATE, so that a task delivered twice does the work once), render
    it, store it. The progress is written as it goes (read by the export's page). Returns False if it was not
    waiting (already claimed, done, or deleted). A failure marks it failed and is raised again (logged by Celery).
    """
    from .exports_differes import genre
    from .models import Export, StatutExport

    if not Export.objects.filter(pk=export_id, statut=StatutExport.EN_ATTENTE).update(
        statut=StatutExport.EN_COURS, progression=5, demarre_le=timezone.now()
    ):
        return False
    export = Export.objects.select_related("promotion").get(pk=export_id)

    def progresser(pourcentage: int) -> None:
        Export.objects.filter(pk=export_id).update(progression=pourcentage)

    try:
        contenu = genre(export).produire(export, progresser)
    except Exception:
        Export.objects.filter(pk=export_id).update(statut=StatutExport.ECHEC, termine_le=timezone.now())
        raise
    Export.objects.filter(pk=export_id).update(
        statut=StatutExport.PRET, progression=100, contenu=contenu, taille=len(contenu), termine_le=timezone.now()
    )
    return True


# An export waiting this long was not handed to a worker (the broker was down when it was asked): sent again.
EXPORT_EN_ATTENTE_RELANCE = datetime.timedelta(minutes=2)
# Beyond the task's hard time limit (`suivi.tasks.produire_export`), an export still in progress lost its worker
# (killed, restarted): marked failed, so that its page says so and the engineer asks again.
EXPORT_EN_COURS_ABANDON = datetime.timedelta(minutes=15)


def relancer_exports(*, maintenant=None) -> tuple[int, int]:
    """Every few minutes (beat): send again the exports still waiting for a worker, and mark failed those whose
    worker stopped during the work. Returns (sent again, marked failed). Sending twice is harmless: a task claims
    its export before working on it."""
    from .models import Export, StatutExport

    maintenant = maintenant or timezone.now()
    oublies = Export.objects.filter(
        statut=StatutExport.EN_ATTENTE, cree_le__lte=maintenant - EXPORT_EN_ATTENTE_RELANCE, expire_le__gt=maintenant
    )
    en_attente = list(oublies.values_list("pk", flat=True))
    for export_id in en_attente:
        courriels.apres_commit("suivi.tasks.produire_export", str(export_id))
    abandonnes = Export.objects.filter(
        statut=StatutExport.EN_COURS, demarre_le__lte=maintenant - EXPORT_EN_COURS_ABANDON
    ).update(statut=StatutExport.ECHEC, termine_le=maintenant)
    return len(en_attente), abandonnes


def supprimer_exports_expires(*, maintenant=None) -> int:
    """Delete the exports whose download period is over (daily, beat): their files go with them."""
    from .models import Export

    supprimes, _detail = Export.objects.expires(maintenant or timezone.now()).delete()
    return supprimes
