"""The console's admin site: the Django admin, with the dashboard on its home page."""
from django.contrib import admin


class ConsoleAdminSite(admin.AdminSite):
    site_header = "Staff console"
    site_title = "Staff console"
    index_title = "Dashboard"
    site_url = None  # no public site behind the console
    index_template = "dashboard/index.html"

    def index(self, request, extra_context=None):
        from dashboard.views import dashboard_context

        extra_context = dict(extra_context or {})
        if request.user.has_perm("conversations.view_conversation"):
            extra_context.update(dashboard_context(request))
        return super().index(request, extra_context)
