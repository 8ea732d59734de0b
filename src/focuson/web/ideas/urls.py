from django.urls import path

from focuson.web.ideas import exports, views

app_name = "ideas"
urlpatterns = [
    path("projects/<int:project_id>/", views.ideas, name="ideas"),
    path("projects/<int:project_id>/ideas/new/", views.add_idea, name="add_idea"),
    path("projects/<int:project_id>/rounds/new/", views.add_round, name="add_round"),
    path("ideas/<int:idea_id>/edit/", views.edit_idea, name="edit_idea"),
    path("rounds/<int:round_id>/", views.round_page, name="round"),
    path("rounds/<int:round_id>/ballot/", views.ballot, name="ballot"),
    path("rounds/<int:round_id>/decision/", views.decide, name="decide"),
    path("projects/<int:project_id>/ideas.csv", exports.ideas_csv, name="ideas_csv"),
    path("projects/<int:project_id>/ideas.json", exports.ideas_json, name="ideas_json"),
    path("rounds/<int:round_id>/results.csv", exports.results_csv, name="results_csv"),
    path("rounds/<int:round_id>/results.json", exports.results_json, name="results_json"),
]
