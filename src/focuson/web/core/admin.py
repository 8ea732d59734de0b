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
    """Lists deleted records too (filter "deleted"), with an action that restores them."""

    actions = ["restore_selected"]
    list_filter: Any = (("deleted_at", admin.EmptyFieldListFilter),)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return self.model.all_objects.all()

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
