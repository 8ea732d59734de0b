from django.urls import path

from focuson.web.insight import analysis_views, coding_views, source_views, urls_release, views

app_name = "insight"
urlpatterns = [
    path("projects/<int:pk>/", views.open_step, name="open"),
    path("projects/<int:pk>/events/new/", views.event_new, name="event_new"),
    path("projects/<int:pk>/insights/new/", views.insight_new, name="insight_new"),
    path("events/<int:pk>/", views.event_edit, name="event_edit"),
    path("insights/<int:pk>/", views.insight_edit, name="insight_edit"),
    path("insights/<int:pk>/delete/", views.insight_delete, name="insight_delete"),
    path("events/<int:pk>/participants/", views.participant_new, name="participant_new"),
    path("events/<int:pk>/tally/", views.tally, name="tally"),
    path("events/<int:pk>/delete/", views.event_delete, name="event_delete"),
    path("participants/<int:pk>/erase/", views.participant_erase, name="participant_erase"),
    # Sources, coding and memos: the project's workspace (CODE_SOURCES).
    path("projects/<int:pk>/sources/", source_views.workspace, name="workspace"),
    path("events/<int:pk>/sources/new/", source_views.source_new, name="source_new"),
    path("sources/<int:pk>/", source_views.source, name="source"),
    path("sources/<int:pk>/details/", source_views.source_details, name="source_details"),
    path(
        "sources/<int:pk>/translations/new/", source_views.translation_new, name="translation_new"
    ),
    path("sources/<int:pk>/delete/", source_views.source_delete, name="source_delete"),
    path(
        "translations/<int:pk>/delete/",
        source_views.translation_delete,
        name="translation_delete",
    ),
    path("sources/<int:pk>/memos/new/", coding_views.source_memo, name="source_memo"),
    path("sources/<int:pk>/codings/new/", coding_views.coding_new, name="coding_new"),
    path("projects/<int:pk>/codebook/", coding_views.codebook, name="codebook"),
    path("codes/<int:pk>/", coding_views.code, name="code"),
    path("codes/<int:pk>/memos/new/", coding_views.code_memo, name="code_memo"),
    path("codes/<int:pk>/delete/", coding_views.code_delete, name="code_delete"),
    path("codings/<int:pk>/", coding_views.coding, name="coding"),
    path("codings/<int:pk>/memos/new/", coding_views.coding_memo, name="coding_memo"),
    path("codings/<int:pk>/delete/", coding_views.coding_delete, name="coding_delete"),
    path("insights/<int:pk>/support/", coding_views.insight_support, name="insight_support"),
    path("projects/<int:pk>/agreement/", analysis_views.agreement, name="agreement"),
    path("projects/<int:pk>/tables/", analysis_views.tables, name="tables"),
    *urls_release.urlpatterns,
]
