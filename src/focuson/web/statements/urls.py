from django.urls import path

from focuson.web.statements import exports, resident, views

app_name = "statements"
urlpatterns = [
    path("projects/<int:project_id>/", views.project_rounds, name="project"),
    path("projects/<int:project_id>/new/", views.add_round, name="add_round"),
    path("projects/<int:project_id>/import/", views.import_polis, name="import_polis"),
    path("rounds/<int:round_id>/", views.round_page, name="round"),
    path("rounds/<int:round_id>/statements/new/", views.add_statement, name="add_statement"),
    path("rounds/<int:round_id>/joining/", views.joining, name="joining"),
    path("rounds/<int:round_id>/edit/", views.edit_round, name="edit_round"),
    path("rounds/<int:round_id>/paper/", views.paper_votes, name="paper"),
    path("rounds/<int:round_id>/results/", views.results_page, name="results"),
    path("rounds/<int:round_id>/results.csv", exports.results_csv, name="results_csv"),
    path("rounds/<int:round_id>/results.json", exports.results_json, name="results_json"),
    path("statements/<int:statement_id>/moderate/", views.moderate, name="moderate"),
    # Residents (public; a code opens its own round only).
    path("join/", resident.enter_code, name="enter_code"),
    path("join/<str:code>/", resident.join, name="join"),
    path("r/<str:code>/", resident.vote, name="vote"),
    path("r/<str:code>/suggest/", resident.suggest, name="suggest"),
    path("r/<str:code>/about-you/", resident.about_you, name="about_you"),
    path("r/<str:code>/leave/", resident.leave, name="leave"),
]
