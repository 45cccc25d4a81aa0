"""The one shape of error that services raise for bad input people can fix."""


class InputError(ValueError):
    """Bad input with a message for the person who gave it and a `code` naming the problem,
    for tests, logs and choosing how to show it."""

    def __init__(self, message, code: str):
        super().__init__(str(message))
        self.message = message
        self.code = code
