from django.urls import path

from focuson.web.ideas import views

app_name = "ideas"
urlpatterns = [
    path("projects/<int:project_id>/", views.ideas, name="ideas"),
    path("projects/<int:project_id>/ideas/new/", views.add_idea, name="add_idea"),
    path("projects/<int:project_id>/rounds/new/", views.add_round, name="add_round"),
    path("ideas/<int:idea_id>/edit/", views.edit_idea, name="edit_idea"),
    path("rounds/<int:round_id>/", views.round_page, name="round"),
    path("rounds/<int:round_id>/ballot/", views.ballot, name="ballot"),
    path("rounds/<int:round_id>/decision/", views.decide, name="decide"),
]
