"""The exports of a promotion's tracking tables (CSV and PDF): dates, states, modes and themes only.

The CSV is read with three set-based queries whatever the number of pairs: the pairs in the dashboard's order (their
situation computed by the database, `tableau.par_urgence`), every meeting with the previous held meeting of its pair
(a window), and the meetings' themes, so that no row costs a query or a Python pass over its pair.
The PDF is a WeasyPrint document, a block of plain lines per pair (`templates/suivi/pdf/tableaux.html`), laid out
in parts side by side when long (`mentorat.pdf`).
"""

import csv
import datetime
import io
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import F, Window
from django.db.models.functions import Lag
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from binomes.models import Binome, StatutBinome
from mentorat.pdf import rendre_pdf
from mentorat.tableurs import neutraliser

from . import tableau
from .models import EtatRencontre, Mode, Moment, Rencontre, Transmission

# Above this many pairs, an export is produced by a Celery task and downloaded from its page (`suivi.Export`).
SEUIL_ARRIERE_PLAN = 100


def cellule(valeur) -> str:
    # The free "other theme" label is typed by the pairs: it must not run as a formula.
    return neutraliser(str(valeur))


def entete() -> list[str]:
    colonnes = [_("Binôme"), _("Mentoré·e"), _("Mentor"), _("Situation")]
    colonnes += [_("Date"), _("État"), _("Modalité"), _("Thématiques")]
    return [*colonnes, _("Écart (jours)")]


def binomes_suivis(promotion, aujourd_hui: datetime.date, *, referent=None, situation: str = ""):
    """The pairs of `promotion` the dashboard lists, most urgent first: what its exports contain too.
    A proposed pair is listed once flagged as unconfirmed two weeks after the launch day; `referent` keeps only
    that engineer's pairs, `situation` (a `tableau.Vigilance` value) only the pairs in that situation."""
    binomes = Binome.objects.filter(promotion=promotion).exclude(
        statut=StatutBinome.PROPOSE, non_confirme_signale_le__isnull=True
    )
    if referent is not None:
        binomes = binomes.filter(referent=referent)
    binomes = tableau.par_urgence(binomes, promotion, aujourd_hui)
    if situation:
        binomes = binomes.filter(rang_urgence=tableau.URGENCE.index(tableau.Vigilance(situation)))
    return binomes


def nombre_de_binomes(promotion, **filtres) -> int:
    return binomes_suivis(promotion, timezone.localdate(), **filtres).count()


@dataclass
class _Rang:
    rencontre_id: int
    date: datetime.date
    etat: str
    mode: str
    themes: str
    autre_theme: str
    precedente: datetime.date | None


def _rencontres_par_binome(binomes) -> dict[int, list[_Rang]]:
    """Every meeting of `binomes` in date order, with its themes and the date of its pair's previous held one."""
    des_binomes = binomes.values("pk")
    themes: dict[int, list[str]] = defaultdict(list)
    for rencontre_id, nom in (
        Rencontre.themes.through.objects.filter(rencontre__binome__in=des_binomes)
        .order_by("rencontre_id", "theme__ordre", "theme__nom")
        .values_list("rencontre_id", "theme__nom")
    ):
        themes[rencontre_id].append(nom)
    # Held meetings share a partition per pair: each one's previous row there is the previous held meeting.
    precedente = Window(Lag("date"), partition_by=[F("binome_id"), F("etat")], order_by=F("date").asc())
    lignes = (
        Rencontre.objects.filter(binome__in=des_binomes)
        .annotate(precedente=precedente)
        .order_by("binome_id", "date")
        .values_list("binome_id", "pk", "date", "etat", "mode", "autre_theme", "precedente")
    )
    par_binome: dict[int, list[_Rang]] = defaultdict(list)
    for binome_id, pk, date, etat, mode, autre, prec in lignes:
        par_binome[binome_id].append(_Rang(pk, date, etat, mode, ", ".join(themes.get(pk, ())), autre, prec))
    return par_binome


def lignes_csv(binomes, promotion, aujourd_hui: datetime.date) -> Iterator[list[str]]:
    """One row per meeting; a pair without any meeting still gets one row, with its cells left empty.

    `binomes` comes from `binomes_suivis` (annotated with `rang_urgence`). The situation tells a stopped pair from
    a finished one, a stop asked from a pair on track; the gap is counted for held meetings, from the previous held
    one (or the launch day)."""
    noms = ("prenom", "nom", "email")
    binomes = binomes.select_related("mentore__utilisateur", "mentor__utilisateur").only(
        *(f"{qui}__utilisateur__{champ}" for qui in ("mentore", "mentor") for champ in noms)
    )
    rencontres = _rencontres_par_binome(binomes)
    # Labels translated once, not once per row (ten thousand lazy strings for a promotion).
    etats = {valeur: str(libelle) for valeur, libelle in EtatRencontre.choices}
    modes = {valeur: str(libelle) for valeur, libelle in Mode.choices}
    situations = [str(vigilance.label) for vigilance in tableau.URGENCE]
    a_confirmer = _("À confirmer")
    for binome in binomes:
        personnes = [binome.pk, binome.mentore.utilisateur, binome.mentor.utilisateur, situations[binome.rang_urgence]]
        personnes = [cellule(v) for v in personnes]
        if not rencontres.get(binome.pk):
            yield personnes + [""] * 5
        for r in rencontres.get(binome.pk, []):
            tenue = r.etat == EtatRencontre.TENUE
            ecart = str((r.date - (r.precedente or promotion.journee_lancement)).days) if tenue else ""
            etat = a_confirmer if r.etat == EtatRencontre.PREVUE and r.date < aujourd_hui else etats[r.etat]
            themes = ", ".join(n for n in (r.themes, r.autre_theme) if n)
            # Only the themes may hold what a person typed (the "other theme"): the other cells are ours.
            yield [*personnes, r.date.isoformat(), etat, modes[r.mode], cellule(themes), ecart]


def csv_des_tableaux(promotion, aujourd_hui: datetime.date, **filtres) -> bytes:
    """The CSV (UTF-8 with its BOM, for spreadsheet software; `;`-separated) of the pairs `binomes_suivis` lists."""
    tampon = io.StringIO()
    tampon.write("\ufeff")
    ecrivain = csv.writer(tampon, delimiter=";")
    ecrivain.writerow(entete())
    ecrivain.writerows(lignes_csv(binomes_suivis(promotion, aujourd_hui, **filtres), promotion, aujourd_hui))
    return tampon.getvalue().encode()


@dataclass
class LignePdf:
    texte: str  # "date state — mode — themes"
    ecart: str  # "42 jours" for a held meeting, else empty
    depasse: bool


@dataclass
class BlocPdf:
    """A pair as the PDF writes it: its heading, its summary line, its transmissions and its meetings."""

    titre: str
    resume: str
    transmissions: str
    lignes: list[LignePdf]


def blocs_pdf(binomes, promotion, aujourd_hui: datetime.date) -> list[BlocPdf]:
    """The PDF's block of each pair of `binomes` (from `binomes_suivis`), in its order.

    Read as the CSV is (set-based queries, no model per meeting), and written here with each sentence translated
    once: through the template's tags, a thousand pairs and ten thousand meetings took seconds before WeasyPrint
    started. The gap is counted for held meetings, from the previous held one (or the launch day)."""
    binomes = binomes.select_related("mentore__utilisateur", "mentor__utilisateur", "referent")
    rencontres = _rencontres_par_binome(binomes)
    transmissions: dict[int, list[str]] = defaultdict(list)
    moments = {valeur: str(libelle) for valeur, libelle in Moment.choices}
    transmis = _("%(moment)s : tableau transmis le %(date)s.")
    for binome_id, moment, le in (
        Transmission.objects.filter(binome__in=binomes.values("pk"))
        .order_by("binome_id", "transmise_le")
        .values_list("binome_id", "moment", "transmise_le")
    ):
        date = f"{timezone.localtime(le):%d/%m/%Y}"
        transmissions[binome_id].append(transmis % {"moment": moments[moment], "date": date})
    etats = {valeur: str(libelle) for valeur, libelle in EtatRencontre.choices}
    modes = {valeur: str(libelle) for valeur, libelle in Mode.choices}
    statuts = {valeur: str(libelle).lower() for valeur, libelle in StatutBinome.choices}
    titre, a_confirmer, pas_transmis = _("Binôme %(b)s"), _("À confirmer"), _("Tableau pas encore transmis.")
    ecart_max = promotion.ecart_max.days
    blocs = []
    for binome in binomes:
        lignes, tenues = [], 0
        for r in rencontres.get(binome.pk, []):
            parties = [f"{r.date:%d/%m/%Y} {a_confirmer if _a_confirmer(r, aujourd_hui) else etats[r.etat]}"]
            parties.append(modes[r.mode])
            if themes := ", ".join(n for n in (r.themes, r.autre_theme) if n):
                parties.append(themes)
            ecart = None
            if r.etat == EtatRencontre.TENUE:
                tenues += 1
                ecart = (r.date - (r.precedente or promotion.journee_lancement)).days
            lignes.append(
                LignePdf(
                    " — ".join(parties),
                    "" if ecart is None else ngettext("%(j)d jour", "%(j)d jours", ecart) % {"j": ecart},
                    ecart is not None and ecart > ecart_max,
                )
            )
        resume = ngettext(
            "%(n)s rencontre tenue — référent·e : %(referent)s — binôme %(statut)s.",
            "%(n)s rencontres tenues — référent·e : %(referent)s — binôme %(statut)s.",
            tenues,
        ) % {"n": tenues, "referent": binome.referent, "statut": statuts[binome.statut]}
        blocs.append(BlocPdf(titre % {"b": binome}, resume, " ".join(transmissions[binome.pk]) or pas_transmis, lignes))
    return blocs


def _a_confirmer(rang: _Rang, aujourd_hui: datetime.date) -> bool:
    """As `Rencontre.a_confirmer`: a planned meeting whose date has passed."""
    return rang.etat == EtatRencontre.PREVUE and rang.date < aujourd_hui


def pdf_des_tableaux(promotion, aujourd_hui: datetime.date, progresser=None, **filtres) -> bytes:
    """A block of plain lines per pair, laid out in parts side by side when there are many pairs (`mentorat.pdf`);
    `progresser(pourcentage)` is told how far it has gone."""
    titre = _("Tableaux de suivi — promotion %(nom)s") % {"nom": promotion.nom}
    blocs = blocs_pdf(binomes_suivis(promotion, aujourd_hui, **filtres), promotion, aujourd_hui)
    contexte = {"titre": titre, "promotion": promotion, "binomes": blocs}
    if progresser:
        progresser(20)
    return rendre_pdf("suivi/pdf/tableaux.html", contexte, progresser, repartir="binomes")


def produire(*, promotion, par, format_: str, **filtres) -> bytes:
    """The CSV or PDF export of `promotion`'s tracking tables, as bytes (measured by `manage.py bench`)."""
    del par  # who asked is journaled by the caller
    aujourd_hui = timezone.localdate()
    if format_ == "csv":
        return csv_des_tableaux(promotion, aujourd_hui, **filtres)
    return pdf_des_tableaux(promotion, aujourd_hui, **filtres)
