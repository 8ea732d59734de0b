"""Open in Django's admin (the audit trail; deleted records can be restored)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from focuson.web.core.admin import SoftDeleteAdmin
from focuson.web.insight.models import (
    AttendanceCount,
    Code,
    Coding,
    Event,
    Insight,
    Memo,
    Participant,
    Source,
    Translation,
)


@admin.register(Event)
class EventAdmin(SoftDeleteAdmin):
    list_display = ("title", "project", "kind", "date", "retention_date")
    list_filter = ("kind",)


@admin.register(Participant)
class ParticipantAdmin(SimpleHistoryAdmin):
    list_display = ("pseudonym", "event")


@admin.register(AttendanceCount)
class AttendanceCountAdmin(SimpleHistoryAdmin):
    list_display = ("event", "dimension", "band", "count")


@admin.register(Insight)
class InsightAdmin(SoftDeleteAdmin):
    list_display = ("statement", "project", "type", "finding", "relation")


@admin.register(Source)
class SourceAdmin(SoftDeleteAdmin):
    list_display = ("title", "event", "kind", "language", "original_name")
    list_filter = ("kind", "language")
    exclude = ("text",)  # the record is never edited: codings point into it


@admin.register(Translation)
class TranslationAdmin(SoftDeleteAdmin):
    list_display = ("source", "language", "kind", "translator")


@admin.register(Code)
class CodeAdmin(SoftDeleteAdmin):
    list_display = ("name", "project", "parent")


@admin.register(Coding)
class CodingAdmin(SoftDeleteAdmin):
    list_display = ("code", "source", "start", "end", "coder")


@admin.register(Memo)
class MemoAdmin(SoftDeleteAdmin):
    list_display = ("text", "project", "author")
