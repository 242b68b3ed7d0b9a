"""The applications' figures of the programme dashboard: one grouped query each, whatever the number of rows."""

from collections import Counter, defaultdict

from django.db.models import Count

from mentorat.models import Promotion

from .models import Candidature, Statut


def par_promotion_et_statut() -> dict[int, Counter[str]]:
    """{promotion id: Counter(statut → applications)} for every promotion (one query)."""
    comptes: dict[int, Counter[str]] = defaultdict(Counter)
    for ligne in Candidature.objects.order_by().values("promotion", "statut").annotate(n=Count("pk")):
        comptes[ligne["promotion"]][ligne["statut"]] = ligne["n"]
    return comptes


def orientations(promotion: Promotion) -> Counter[str]:
    """Orientation → applications not retained in `promotion` (one query)."""
    lignes = (
        Candidature.objects.filter(promotion=promotion, statut=Statut.NON_RETENUE)
        .order_by()
        .values("orientation")
        .annotate(n=Count("pk"))
    )
    return Counter({ligne["orientation"]: ligne["n"] for ligne in lignes})


def par_departement(promotion: Promotion) -> Counter[str]:
    """Département code → applications of `promotion` (one query)."""
    lignes = Candidature.objects.filter(promotion=promotion).order_by().values("departement").annotate(n=Count("pk"))
    return Counter({ligne["departement"]: ligne["n"] for ligne in lignes})
