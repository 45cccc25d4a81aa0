"""The one error the forum services raise for input people can fix."""

from portal.errors import InputError


class ForumError(InputError):
    """A registration, cancellation or vote that cannot be accepted; nothing was saved."""
