from django.urls import path

from focuson.web.study import views

app_name = "study"
urlpatterns = [
    path("projects/<int:pk>/", views.study, name="study"),
    path("projects/<int:pk>/plan/", views.plan, name="plan"),
    path("projects/<int:pk>/results/", views.link, name="link"),
    path("projects/<int:pk>/card/", views.card, name="card"),
    path("projects/<int:pk>/decision/", views.decide, name="decide"),
]
