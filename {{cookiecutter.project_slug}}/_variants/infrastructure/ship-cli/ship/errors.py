"""The one exception ship shows its user: a single line, no traceback."""


class ShipError(Exception):
    """Something the user can fix; the message is the whole story, on one line."""
