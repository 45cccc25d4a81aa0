from csp.middleware import CSPMiddleware


class PortalCSPMiddleware(CSPMiddleware):
    """The strict policy everywhere, except that the Wagtail admin may run inline scripts.

    Wagtail 8's admin templates still emit inline <script> elements; the admin is staff-only
    and behind two-factor sign-in. The public site keeps a policy with no 'unsafe-inline'.
    Admin preview responses may be framed by the admin itself (Wagtail's live preview panel).
    """

    admin_prefix = "/admin/"

    def get_policy_parts(self, request, response, report_only=False):
        if request.path.startswith(self.admin_prefix) and not getattr(
            response, "_csp_update", None
        ):
            response._csp_update = {"script-src": ["'unsafe-inline'"]}
        if getattr(request, "is_preview", False) and not getattr(response, "_csp_replace", None):
            # Wagtail's live preview shows the page (rendered for a request Wagtail makes up, with
            # `is_preview` set) in a frame of the editor: framing by the same origin only.
            response._csp_replace = {"frame-ancestors": ["'self'"]}
        return super().get_policy_parts(request, response, report_only)
