"""Which of the themes a mentee wished at application were covered by at least one meeting held by their pair.

Each function is one query, whatever the number of pairs and meetings: the rule is written once, in SQL, as an
EXISTS over the held meetings' themes. Themes are tracking data (the engineers see the meetings' themes and the
applications); the pair's objectives are never read here.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from candidatures.models import Candidature, Theme

from .models import EtatRencontre, Rencontre

SouhaitTheme = Candidature.themes.through
ThemeRencontre = Rencontre.themes.through


def _aborde(theme, binome, jusqu_au: datetime.date | None) -> Exists:
    """A held meeting of `binome` (dated `jusqu_au` at the latest) covered `theme`: two column references."""
    rencontres = ThemeRencontre.objects.filter(
        theme_id=theme, rencontre__binome_id=binome, rencontre__etat=EtatRencontre.TENUE
    )
    if jusqu_au is not None:
        rencontres = rencontres.filter(rencontre__date__lte=jusqu_au)
    return Exists(rencontres)


@dataclass(frozen=True)
class Couverture:
    """The themes one mentee wished, and those of them the pair's held meetings covered."""

    souhaites: list[Theme]
    abordes: list[Theme]

    @property
    def non_abordes(self) -> list[Theme]:
        return [t for t in self.souhaites if t not in self.abordes]


def du_binome(binome) -> Couverture:
    """The coverage of one pair (one query), the themes in the forms' order."""
    themes: list[Theme] = list(
        Theme.objects.filter(candidatures=binome.mentore_id)
        .annotate(aborde=_aborde(OuterRef("pk"), binome.pk, None))
        .order_by("ordre", "nom")
    )
    return Couverture(souhaites=themes, abordes=[t for t in themes if t.aborde])  # type: ignore[attr-defined]


def _compte(souhaits) -> Coalesce:
    return Coalesce(
        Subquery(souhaits.order_by().values("candidature_id").annotate(n=Count("pk")).values("n")[:1]),
        Value(0),
        output_field=IntegerField(),
    )


def avec_couverture(binomes: QuerySet, jusqu_au: datetime.date | None = None) -> QuerySet:
    """`binomes` annotated with `nb_themes_souhaites` and `nb_themes_abordes` (no query of its own: a list page
    reads its pairs' coverage in the query that reads its pairs)."""
    souhaits = SouhaitTheme.objects.filter(candidature_id=OuterRef("mentore_id"))
    abordes = souhaits.filter(_aborde(OuterRef("theme_id"), OuterRef(OuterRef("pk")), jusqu_au))
    return binomes.annotate(nb_themes_souhaites=_compte(souhaits), nb_themes_abordes=_compte(abordes))


@dataclass(frozen=True)
class Part:
    """Over a group of pairs: how many pairs, the themes their mentees wished, those covered."""

    binomes: int
    souhaites: int
    abordes: int

    @property
    def pourcentage(self) -> int | None:
        return round(100 * self.abordes / self.souhaites) if self.souhaites else None


def part_couverte(binomes: QuerySet, jusqu_au: datetime.date | None = None) -> Part:
    """The share of wished themes covered over `binomes` (one query); pairs whose mentee wished none are left out."""
    totaux = (
        avec_couverture(binomes, jusqu_au)
        .filter(nb_themes_souhaites__gt=0)
        .aggregate(n=Count("pk"), souhaites=Sum("nb_themes_souhaites"), abordes=Sum("nb_themes_abordes"))
    )
    return Part(binomes=totaux["n"], souhaites=totaux["souhaites"] or 0, abordes=totaux["abordes"] or 0)


def parts_par(binomes: QuerySet, attribut: str, jusqu_au: datetime.date | None = None) -> dict[str, Part]:
    """`part_couverte` per value of `attribut` (a path from the pair, such as "mentore__corps"), in one query."""
    lignes = (
        avec_couverture(binomes, jusqu_au)
        .filter(nb_themes_souhaites__gt=0)
        .order_by()
        .values(attribut)
        .annotate(n=Count("pk"), souhaites=Sum("nb_themes_souhaites"), abordes=Sum("nb_themes_abordes"))
    )
    return {ligne[attribut]: Part(ligne["n"], ligne["souhaites"] or 0, ligne["abordes"] or 0) for ligne in lignes}
