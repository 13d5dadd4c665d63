"""Business rules as verbs: they take plain values, flush but never commit."""


class ServiceError(ValueError):
    """A rule refused the request; the message is shown to the user."""
