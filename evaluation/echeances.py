"""When the invitation and the two reminders of a campaign are due: a pure rule."""

import datetime

from .models import TypeEnvoi


def envois_dus(
    ouverture: datetime.datetime, fermeture: datetime.datetime, maintenant: datetime.datetime
) -> list[TypeEnvoi]:
    """The kinds of e-mail due at `maintenant`: the invitation once open, a reminder at a
    third and another at two thirds of the campaign; nothing outside the campaign."""
    if not ouverture <= maintenant < fermeture:
        return []
    duree = fermeture - ouverture
    dus = [TypeEnvoi.INVITATION]
    if maintenant >= ouverture + duree / 3:
        dus.append(TypeEnvoi.RELANCE_1)
    if maintenant >= ouverture + duree * 2 / 3:
        dus.append(TypeEnvoi.RELANCE_2)
    return dus
