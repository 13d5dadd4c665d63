"""Business rules as verbs: they take plain values, flush but never commit."""


class ServiceError(ValueError):
    """A rule refused the request; the message is shown to the user.

    The message is a `Message` (app.domain.text), so it becomes text in the reader's language only
    when shown: `str(error)` at that moment gives the translated, filled-in sentence.
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""

    @property
    def message(self):
        """The message itself (a Message, or a plain string from older callers)."""
        return self.args[0] if self.args else ""
