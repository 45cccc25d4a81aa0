from csp.middleware import CSPMiddleware


class PortalCSPMiddleware(CSPMiddleware):
    """The strict policy everywhere, except that the Wagtail admin may run inline scripts.

    Wagtail 8's admin templates still emit inline <script> elements; the admin is staff-only
    and behind two-factor sign-in. The public site keeps a policy with no 'unsafe-inline'.
    """

    admin_prefix = "/admin/"

    def get_policy_parts(self, request, response, report_only=False):
        if request.path.startswith(self.admin_prefix) and not getattr(
            response, "_csp_update", None
        ):
            response._csp_update = {"script-src": ["'unsafe-inline'"]}
        return super().get_policy_parts(request, response, report_only)
