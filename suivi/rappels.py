"""When a pair should be reminded: pure rules over plain dates, no database.

The delay is counted from the pair's last held meeting, or from the launch day
while no meeting is held yet. At six weeks the pair is reminded to plan the next
meeting; at the limit (eight weeks, the promotion's `ecart_max`) the pair and
their referent are alerted. Each reminder is tied to that reference date, so a
silence produces at most one reminder of each kind.
"""

import datetime
from dataclasses import dataclass

JOURS_RELANCE = 42  # six weeks


@dataclass(frozen=True)
class Silence:
    """What the reminder rule needs to know about one pair."""

    lancement: datetime.date
    fin: datetime.date
    derniere_tenue: datetime.date | None
    ecart_max: datetime.timedelta = datetime.timedelta(weeks=8)
    prevue_a_venir: bool = False  # a meeting is already planned today or later

    @property
    def reference(self) -> datetime.date:
        return self.derniere_tenue or self.lancement


def rappel_du(silence: Silence, aujourd_hui: datetime.date) -> str | None:
    """The reminder due today for this pair: "planifier", "alerte" or None.

    From day 42 to the day before the limit: "planifier" (the mentee is asked to
    plan the next meeting), unless a meeting is already planned ahead. From the
    limit (day 56 by default) onwards: "alerte", planned meeting or not.
    Nothing before the launch day nor after the end of the programme.
    """
    if not silence.lancement <= aujourd_hui <= silence.fin:
        return None
    jours = (aujourd_hui - silence.reference).days
    if jours >= silence.ecart_max.days:
        return "alerte"
    if jours >= JOURS_RELANCE and not silence.prevue_a_venir:
        return "planifier"
    return None


def ecart_depasse(
    precedente: datetime.date, date: datetime.date, ecart_max: datetime.timedelta = datetime.timedelta(weeks=8)
) -> bool:
    """A meeting held more than `ecart_max` after the previous one: the referent is informed."""
    return date - precedente > ecart_max


def semaines_de_silence(reference: datetime.date, aujourd_hui: datetime.date) -> int:
    """Whole weeks elapsed since `reference`, as a reminder says it on the day it is sent."""
    return max((aujourd_hui - reference).days // 7, 0)
