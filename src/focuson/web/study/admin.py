"""The Study step in Django's admin (read the audit trail of plans and decisions there)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from focuson.web.study.models import ProjectStudy, StudyDecision


@admin.register(ProjectStudy)
class ProjectStudyAdmin(SimpleHistoryAdmin):
    list_display = (
        "project",
        "version",
        "plan_hash",
        "frozen_at",
        "changed_after_data_seen",
        "run",
    )
    # The plan is frozen: its record changes only through the Study page (a new version).
    readonly_fields = (
        "plan_yaml",
        "record",
        "plan_hash",
        "frozen_at",
        "version",
        "changed_after_data_seen",
    )


@admin.register(StudyDecision)
class StudyDecisionAdmin(SimpleHistoryAdmin):
    list_display = ("decision", "study", "decided_by", "run")
