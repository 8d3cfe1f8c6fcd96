from django.contrib import admin

from .models import AuditEntry


class TrailAdmin(admin.ModelAdmin):
    """Read-only for everyone: nobody, not even a superuser, adds to, edits or
    deletes a trail of what happened (the audit log, hand-off status changes)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(TrailAdmin):
    list_display = ("at", "actor_name", "action", "target", "detail")
    list_filter = ("action", "at")
    search_fields = ("actor_name", "target")
    date_hierarchy = "at"
    show_full_result_count = False
    list_per_page = 100
