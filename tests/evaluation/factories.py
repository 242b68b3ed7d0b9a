import datetime

import factory
from django.utils import timezone

from evaluation.models import Campagne, TypeCampagne
from tests.factories import PromotionFactory


class CampagneFactory(factory.django.DjangoModelFactory[Campagne]):
    """A mid-course campaign open for three more weeks."""

    class Meta:
        model = Campagne

    promotion = factory.SubFactory(PromotionFactory)
    type = TypeCampagne.MI_PARCOURS
    ouverture = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    fermeture = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=21))
