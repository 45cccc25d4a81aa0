"""The page permission testers of plan pages: Wagtail's page permissions, narrowed by the
rules in `plans.rules`.

Officers hold publish permission over the whole tree (accounts migration 0002) and Wagtail's
permissions only add up down the tree, so plan pages narrow them here: whatever Wagtail allows
must also be allowed by the plan's rule. A page that is not live is not at stake, so officers
still create, edit, submit and delete drafts.
"""

from wagtail.models import PagePermissionTester


class PlanPermissionTester(PagePermissionTester):
    """What a user may do with one locality plan in the Wagtail admin."""

    def __init__(self, user, page):
        super().__init__(user, page)
        self._rule_answers = {}

    def live_plans_at_stake(self) -> bool:
        """Whether deleting or moving this page would delete or move a live plan."""
        return self.page.live

    def _allowed(self, action: str) -> bool:
        """The plan rule `plans.<action>` for this user and page (answers cached per tester)."""
        if action not in self._rule_answers:
            self._rule_answers[action] = self.user.has_perm(f"plans.{action}", self.page)
        return self._rule_answers[action]

    def _allowed_if_live(self, action: str) -> bool:
        return not self.live_plans_at_stake() or self._allowed(action)

    def can_edit(self):
        return super().can_edit() and self._allowed("edit_plan")

    def can_publish(self):
        return super().can_publish() and self._allowed("publish_plan")

    def can_unpublish(self):
        return super().can_unpublish() and self._allowed("unpublish_plan")

    def can_delete(self, ignore_bulk=False):
        return super().can_delete(ignore_bulk) and self._allowed_if_live("delete_live_plan")

    def can_move(self):
        return super().can_move() and self._allowed_if_live("move_live_plan")

    def can_move_to(self, destination):
        return (super().can_move_to(destination)
                and self._allowed_if_live("move_live_plan"))


class PlanIndexPermissionTester(PlanPermissionTester):
    """The plan index: publishing a plan in one go with creating it is publishing a plan, and
    deleting or moving the index takes its live plans with it."""

    def live_plans_at_stake(self) -> bool:
        if not hasattr(self, "_live_plans_at_stake"):
            self._live_plans_at_stake = self.page.get_descendants().live().exists()
        return self._live_plans_at_stake

    def can_edit(self):
        # The index is not a plan: its introduction is edited like any other page.
        return PagePermissionTester.can_edit(self)

    def can_add_subpage(self):
        return super().can_add_subpage() and self._allowed("add_plan")

    def can_publish_subpage(self):
        return super().can_publish_subpage() and self._allowed("publish_plan")
