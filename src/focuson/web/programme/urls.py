from django.urls import path

from focuson.web.programme import views

app_name = "programme"
urlpatterns = [
    path("", views.board, name="board"),
    path("updates/", views.updates, name="updates"),
]
