from django.urls import path

from focuson.web.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("roles/", views.roles, name="roles"),
    path("language/", views.set_language, name="set_language"),
    path("health/", views.health, name="health"),
]
