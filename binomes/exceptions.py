"""Refusals of the binomes app's services; each message (French) tells the user which rule an action breaks."""


class AppariementRefuse(Exception):
    """A committee action on the matching (proposal, lines, exclusions) that would break a rule."""


class BinomeRefuse(Exception):
    """An action on a pair (commitment, stop, status change) that its state or the person's role forbids."""
