from django.urls import path

from focuson.web.ideas import exports, resident_erasure, resident_views, session_views, views

app_name = "ideas"
urlpatterns = [
    path("projects/<int:project_id>/", views.ideas, name="ideas"),
    path("projects/<int:project_id>/ideas/new/", views.add_idea, name="add_idea"),
    path("projects/<int:project_id>/rounds/new/", views.add_round, name="add_round"),
    path("projects/<int:project_id>/sessions/new/", session_views.session_new, name="session_new"),
    path("ideas/<int:idea_id>/", session_views.idea, name="idea"),
    path("ideas/<int:idea_id>/edit/", views.edit_idea, name="edit_idea"),
    path("ideas/<int:idea_id>/comment/", session_views.idea_comment, name="idea_comment"),
    path("sessions/<int:session_id>/", session_views.session, name="session"),
    path("sessions/<int:session_id>/edit/", session_views.session_edit, name="session_edit"),
    path(
        "sessions/<int:session_id>/joining/", session_views.session_joining, name="session_joining"
    ),
    path("sessions/<int:session_id>/delete/", session_views.session_delete, name="session_delete"),
    path(
        "sessions/<int:session_id>/attendance/",
        session_views.session_attendance,
        name="session_attendance",
    ),
    path("rounds/<int:round_id>/", views.round_page, name="round"),
    path("rounds/<int:round_id>/ballot/", views.ballot, name="ballot"),
    path("rounds/<int:round_id>/decision/", views.decide, name="decide"),
    path("projects/<int:project_id>/ideas.csv", exports.ideas_csv, name="ideas_csv"),
    path("projects/<int:project_id>/ideas.json", exports.ideas_json, name="ideas_json"),
    path("rounds/<int:round_id>/results.csv", exports.results_csv, name="results_csv"),
    path("rounds/<int:round_id>/results.json", exports.results_json, name="results_json"),
    # Residents who joined a session with its code (public; limited to that session).
    path("take-part/<int:session_id>/", resident_views.take_part, name="take_part"),
    path("take-part/<int:session_id>/idea/", resident_views.add_idea, name="resident_idea"),
    path(
        "take-part/<int:session_id>/ideas/<int:idea_id>/comment/",
        resident_views.comment,
        name="resident_comment",
    ),
    path("take-part/<int:session_id>/score/", resident_views.score, name="resident_score"),
    path("take-part/<int:session_id>/leave/", resident_views.leave, name="resident_leave"),
    path(
        "take-part/<int:session_id>/statements/<int:round_id>/",
        resident_views.vote_in_round,
        name="resident_statements",
    ),
    path("take-part/<int:session_id>/remove/", resident_erasure.remove, name="resident_remove"),
]
