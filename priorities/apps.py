from django.apps import AppConfig, apps
from django.core import checks
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _

from . import registry
from .checks import check_evidence_modules

# Besides the evidence modules' CHANGES_WITH: weights and theme names change rankings too.
ALSO_WATCHED = ("priorities.ScoringWeights", "themes.Theme")


class PrioritiesConfig(AppConfig):
    name = "priorities"
    label = "priorities"
    # Models shown on cached public page parts: saving one moves the content version on
    # (portal/neighbourhoods/content_cache.py).
    shown_on_public_pages = {"prioritysnapshot", "snapshotpriority", "populationfigure",
                                 "scoringweights", "rankingrun"}
    verbose_name = _("Priorities")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        checks.register(check_evidence_modules)
        # Feature apps know nothing of priorities: listen to every save and delete and keep
        # those of the models the evidence modules name.
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(_maybe_invalidate, dispatch_uid=f"priorities.invalidate.{signal!r}")


_watched: set[str] | None = None


def watched() -> set[str]:
    """Lower-case labels of the models whose saves and deletes change the live rankings."""
    global _watched
    if _watched is None:
        labels = registry.watched_models()
        for label in ALSO_WATCHED:
            labels.add(apps.get_model(label)._meta.label_lower)
        _watched = labels
    return _watched


def _maybe_invalidate(sender, **kwargs):
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed fires before and after; the "post_" half is enough
    if getattr(sender, "_meta", None) is not None and sender._meta.label_lower in watched():
        # Imported here: apps.py is loaded before the models that ranking imports.
        from .ranking import evidence_changed

        evidence_changed(queue=False)  # stale at once, in every process
        if sender._meta.apps is not apps:
            return  # a migration's historical model: no refresh before the tables are there
        # Again after the commit, and queue the refresh then: a refresh that ran between this
        # save and the commit (say, before a response's answers were inserted) must not count
        # as fresh, and the job must see the change.
        transaction.on_commit(evidence_changed)
