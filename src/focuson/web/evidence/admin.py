"""Evidence in Django's admin: runs can be deleted (hidden) and restored; jobs are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from focuson.web.core.admin import SoftDeleteAdmin
from focuson.web.evidence.models import ImportJob, Run


@admin.register(Run)
class RunAdmin(SoftDeleteAdmin):
    list_display = ("title", "kind", "first_period", "last_period", "imported_at", "deleted_at")
    # Imported aggregates are never edited by hand: the run is what the folder held.
    readonly_fields = (
        "kind",
        "title",
        "content_hash",
        "source",
        "manifest",
        "created",
        "first_period",
        "last_period",
        "focuson_version",
        "indicators",
        "study",
        "imported_by",
    )


@admin.register(ImportJob)
class ImportJobAdmin(SimpleHistoryAdmin):
    list_display = ("source", "status", "created_by", "created_at", "finished_at")
    list_filter = ("status",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
