"""The pairs' figures of the programme dashboard: one grouped query each, whatever the number of rows."""

from collections import Counter, defaultdict

from django.db.models import Count, Exists, OuterRef, Q

from candidatures.models import Candidature
from mentorat.models import Promotion

from .models import Binome


def par_promotion_et_statut() -> dict[int, Counter[str]]:
    """{promotion id: Counter(statut → pairs)} for every promotion (one query)."""
    comptes: dict[int, Counter[str]] = defaultdict(Counter)
    for ligne in Binome.objects.order_by().values("promotion", "statut").annotate(n=Count("pk")):
        comptes[ligne["promotion"]][ligne["statut"]] = ligne["n"]
    return comptes


def membres_par_departement(promotion: Promotion) -> Counter[str]:
    """Département code → members of the pairs of `promotion`, mentors and mentees (one query)."""
    en_binome = Q(Exists(Binome.objects.filter(mentor=OuterRef("pk")))) | Q(
        Exists(Binome.objects.filter(mentore=OuterRef("pk")))
    )
    lignes = (
        Candidature.objects.filter(en_binome, promotion=promotion)
        .order_by()
        .values("departement")
        .annotate(n=Count("pk"))
    )
    return Counter({ligne["departement"]: ligne["n"] for ligne in lignes})
