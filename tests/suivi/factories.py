import datetime

import factory

from suivi.models import EtatRencontre, Mode, Rencontre
from tests.factories import BinomeFactory


class RencontreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rencontre
        skip_postgeneration_save = True

    binome = factory.SubFactory(BinomeFactory)
    date = factory.LazyAttribute(lambda r: r.binome.promotion.journee_lancement + datetime.timedelta(days=14))
    mode = Mode.PRESENTIEL
    etat = EtatRencontre.TENUE

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)
