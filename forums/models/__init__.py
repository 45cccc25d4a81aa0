"""Forum data: the pages (`pages`), the people taking part (`participation`) and the named
queries over them (`querysets`)."""

from .pages import ForumEventPage, ForumIndexPage, ForumVoteTally, YouSaidWeDid
from .participation import OnlineVote, Registration, new_token  # migration 0001 names new_token

__all__ = ["ForumEventPage", "ForumIndexPage", "ForumVoteTally", "OnlineVote", "Registration",
           "YouSaidWeDid", "new_token"]
