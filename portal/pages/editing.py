"""The page editor, made safe against a save landing on a page that changed under it.

Wagtail's edit view reads the page when a request arrives and writes it back later; between the
two, another request may have published it. Wagtail 8 autosaves the editor half a second after
each change, so an autosave sent just before "Publish" (or "Approve and publish") is such a
request: it had read the page as a draft, and its full save wrote `live=False` back over the
page that had just been published. The page was logged as published, then as edited, and
answered 404 (issue 16). The same window let two approvals both pass Wagtail's check that the
workflow task is still in progress, and the second then failed on `current_workflow_task` being
None.

So every save, publish and workflow action of a page is decided under the page's row lock
(`SELECT ... FOR UPDATE`; with SQLite the write transaction already holds the database's write
lock), against the page as it is now: if its publication, revision or workflow state moved
since the request read it, an autosave is refused as out of date (Wagtail's own answer, which
pauses autosave and tells the editor) and any other action is re-read and carried out on the
current page. Registered for every page type in `portal/pages/wagtail_hooks.py`.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page, WorkflowState


def page_state(page_id, *, lock: bool = False) -> tuple:
    """What a save must not overwrite unseen: the page's publication, its latest revision and
    its latest workflow's progress. With `lock`, the page's row stays locked until the end of
    the transaction."""
    pages = Page.objects.filter(pk=page_id)
    if lock:
        pages = pages.select_for_update()
    row = pages.values_list("live", "live_revision_id", "latest_revision_id").first()
    workflow = (WorkflowState.objects
                .filter(base_content_type=ContentType.objects.get_for_model(Page),
                        object_id=str(page_id))
                .order_by("created_at", "pk")
                .values_list("pk", "status", "current_task_state_id").last())
    return row, workflow


class PublishSafeEditView(EditView):
    """Wagtail's page editor, deciding each POST against the page as it is under lock."""

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST":
            # Before Wagtail reads the page: a change landing after this point is noticed.
            self.state_when_read = page_state(kwargs.get("page_id", args[0] if args else None))
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        with transaction.atomic():
            if page_state(self.real_page_record.pk, lock=True) != self.state_when_read:
                if self.expects_json_response:  # an autosave: Wagtail's own "out of date"
                    return self.json_error_response(
                        "invalid_revision", _("Saving will overwrite a newer version."))
                # Published, approved or saved by someone else meanwhile: read the page again,
                # now that nobody else can change it, and do what was asked on it as it is.
                return self.dispatch(request, *args, **kwargs)
            return super().post(request, *args, **kwargs)

    def perform_workflow_action(self):
        """Wagtail's, except that a workflow that ended while this request saved the page (a
        signal or hook publishing it, say) gets a message instead of a server error."""
        self.page = self.form.save(commit=not self.page.live)
        self.subscription.save()
        if self.has_content_changes:
            revision = self.page.save_revision(
                user=self.request.user, log_action=True,
                previous_revision=self.previous_revision if self.is_reverting else None)
            if "comments" in self.form.formsets:
                changes = self.get_commenting_changes()
                self.log_commenting_changes(changes, revision)
                self.send_commenting_notifications(changes)
        task, task_state = self.page.current_workflow_task, self.page.current_workflow_task_state
        if task is None or task_state is None:
            messages.warning(self.request, _(
                "“%(title)s” is no longer waiting for approval: the approval was completed or "
                "cancelled while you were working on it. Your changes are saved as a draft.")
                % {"title": self.page.get_admin_display_title()})
            return self.redirect_and_remain()
        extra_data = json.loads(self.request.POST.get("workflow-action-extra-data", "{}"))
        task.on_action(task_state, self.request.user, self.workflow_action, **extra_data)
        self.add_save_confirmation_message()
        response = self.run_hook("after_edit_page", self.request, self.page)
        if response:
            return response
        return self.redirect_away()


class PortalPageViewSet(PageViewSet):
    """The admin views of every page type, with the publish-safe editor."""

    edit_view_class = PublishSafeEditView
