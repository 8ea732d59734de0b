"""Co-create and Unite in Django's admin (the audit trail; deleted ideas and sessions restored
there)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from focuson.web.core.admin import SoftDeleteAdmin
from focuson.web.ideas.models import (
    Ballot,
    CoCreationSession,
    Idea,
    IdeaComment,
    PrioritisationRound,
)


@admin.register(Idea)
class IdeaAdmin(SoftDeleteAdmin):
    list_display = ("title", "project", "status", "cost_band", "session")


@admin.register(PrioritisationRound)
class PrioritisationRoundAdmin(SimpleHistoryAdmin):
    list_display = ("title", "project", "max_selected", "decision")


@admin.register(Ballot)
class BallotAdmin(SimpleHistoryAdmin):
    list_display = ("round", "role", "channel", "entered_by", "entered")
    # A resident's participant hash stays out of every page, the admin's too.
    exclude = ("participant",)


@admin.register(CoCreationSession)
class CoCreationSessionAdmin(SoftDeleteAdmin):
    list_display = ("title", "project", "date", "format", "open_for_joining")


@admin.register(IdeaComment)
class IdeaCommentAdmin(SimpleHistoryAdmin):
    list_display = ("idea", "stance", "author", "session", "created")
    exclude = ("participant",)
