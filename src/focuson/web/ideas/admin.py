"""Co-create and Unite in Django's admin (the audit trail; deleted ideas restored there)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from focuson.web.core.admin import SoftDeleteAdmin
from focuson.web.ideas.models import Ballot, Idea, PrioritisationRound


@admin.register(Idea)
class IdeaAdmin(SoftDeleteAdmin):
    list_display = ("title", "project", "status", "cost_band")


@admin.register(PrioritisationRound)
class PrioritisationRoundAdmin(SimpleHistoryAdmin):
    list_display = ("title", "project", "max_selected", "decision")


@admin.register(Ballot)
class BallotAdmin(SimpleHistoryAdmin):
    list_display = ("round", "role", "channel", "entered_by", "entered")
