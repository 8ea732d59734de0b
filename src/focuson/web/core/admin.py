"""Admin helpers shared by the apps: the restore action for soft-deleted records."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from focuson.web.permissions import Permission, has_permission


class SoftDeleteAdmin(SimpleHistoryAdmin):
    """Lists deleted records too (filter "deleted"), with actions that delete and restore them.

    Nothing is removed from the database here: Django's own delete (the button and the
    "delete selected" action) is turned off, and deleting marks records deleted instead.
    """

    actions = ["soft_delete_selected", "restore_selected"]
    list_filter: Any = (("deleted_at", admin.EmptyFieldListFilter),)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return self.model.all_objects.all()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Records are hidden, never lost: soft_delete_selected instead.
        return False

    @admin.action(description=_("Delete the selected records (an administrator can restore them)"))
    def soft_delete_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        if not has_permission(request.user, Permission.DELETE):
            self.message_user(request, _("Your role does not delete records."), messages.ERROR)
            return
        deleted = 0
        # One save per record (not an update): each deletion gets its audit entry.
        for record in queryset.filter(deleted_at__isnull=True):
            record.soft_delete(user=request.user)
            deleted += 1
        self.message_user(
            request,
            ngettext("%(n)d record deleted.", "%(n)d records deleted.", deleted) % {"n": deleted},
        )

    @admin.action(description=_("Restore the selected deleted records"))
    def restore_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        if not has_permission(request.user, Permission.RESTORE):
            self.message_user(request, _("Only administrators restore records."), messages.ERROR)
            return
        restored = 0
        for record in queryset.filter(deleted_at__isnull=False):
            record.restore()
            restored += 1
        self.message_user(
            request,
            ngettext("%(n)d record restored.", "%(n)d records restored.", restored)
            % {"n": restored},
        )
