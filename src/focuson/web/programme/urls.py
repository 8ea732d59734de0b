from django.urls import path

from focuson.web.programme.views import board, members, projects, steps, structure, updates

app_name = "programme"
urlpatterns = [
    path("", board.board, name="board"),
    path("pillars/", structure.pillars, name="pillars"),
    path("pillars/new/", structure.pillar_new, name="pillar_new"),
    path("pillars/<int:pk>/edit/", structure.pillar_edit, name="pillar_edit"),
    path("workstreams/new/", structure.workstream_new, name="workstream_new"),
    path("workstreams/<int:pk>/edit/", structure.workstream_edit, name="workstream_edit"),
    path("projects/new/", projects.project_new, name="project_new"),
    path("projects/<int:pk>/", projects.project, name="project"),
    path("projects/<int:pk>/edit/", projects.project_edit, name="project_edit"),
    path("projects/<int:pk>/delete/", projects.project_delete, name="project_delete"),
    path("projects/<int:pk>/steps/<str:step>/", steps.step_edit, name="step_edit"),
    path("projects/<int:pk>/decisions/new/", steps.decision_new, name="decision_new"),
    path("projects/<int:pk>/members/", members.members, name="members"),
    path("projects/<int:pk>/members/add/", members.member_add, name="member_add"),
    path(
        "projects/<int:pk>/members/<int:user_id>/remove/",
        members.member_remove,
        name="member_remove",
    ),
    path("decisions/", steps.decisions, name="decisions"),
    path("updates/", updates.updates, name="updates"),
    path("updates/generate/", updates.update_generate, name="update_generate"),
    path("updates/<str:month>/", updates.update, name="update"),
    path("updates/<str:month>/edit/", updates.update_edit, name="update_edit"),
    path("updates/<str:month>/publish/", updates.update_publish, name="update_publish"),
    path("updates/<str:month>/print/", updates.update_print, name="update_print"),
]
