"""Open in Django's admin (the audit trail; deleted events and insights can be restored)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from focuson.web.core.admin import SoftDeleteAdmin
from focuson.web.insight.models import AttendanceCount, Event, Insight, Participant


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
