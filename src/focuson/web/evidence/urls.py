from django.urls import path

from focuson.web.evidence import views

app_name = "evidence"
urlpatterns = [
    path("findings/", views.findings, name="findings"),
    path("runs/", views.runs, name="runs"),
]
