"""Statement rounds in Django's admin (the audit trail)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from focuson.web.statements.models import Statement, StatementRound


@admin.register(StatementRound)
class StatementRoundAdmin(SimpleHistoryAdmin):
    list_display = ("title", "project", "code", "open_for_joining", "imported_from")
    readonly_fields = ("code",)


@admin.register(Statement)
class StatementAdmin(SimpleHistoryAdmin):
    list_display = ("text", "round", "author", "status")
    list_filter = ("status", "author")
