"""The programme in Django's admin: soft-deleted records can be found and restored there."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from focuson.web.core.admin import SoftDeleteAdmin
from focuson.web.programme.models import (
    Borough,
    Decision,
    MonthlyUpdate,
    Pillar,
    Project,
    ProjectMembership,
    ProjectStep,
    Workstream,
)


@admin.register(Pillar)
class PillarAdmin(SoftDeleteAdmin):
    list_display = ("name", "order", "deleted_at")


@admin.register(Workstream)
class WorkstreamAdmin(SoftDeleteAdmin):
    list_display = ("name", "pillar", "lead", "deleted_at")


@admin.register(Project)
class ProjectAdmin(SoftDeleteAdmin):
    list_display = ("title", "workstream", "owner", "created", "deleted_at")
    search_fields = ("title",)
    raw_id_fields = ("finding",)


@admin.register(Decision)
class DecisionAdmin(SoftDeleteAdmin):
    list_display = ("text", "project", "step", "decided_on", "deleted_at")
    raw_id_fields = ("findings", "alerts")


@admin.register(Borough)
class BoroughAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code")


@admin.register(ProjectStep)
class ProjectStepAdmin(SimpleHistoryAdmin):
    list_display = ("project", "step", "status", "started_on", "finished_on")
    list_filter = ("step", "status")
    raw_id_fields = ("findings", "alerts")


@admin.register(ProjectMembership)
class ProjectMembershipAdmin(SimpleHistoryAdmin):
    list_display = ("project", "user", "role_in_project")


@admin.register(MonthlyUpdate)
class MonthlyUpdateAdmin(SimpleHistoryAdmin):
    list_display = ("month", "status", "published_at")
