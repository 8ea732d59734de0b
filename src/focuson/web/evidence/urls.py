from django.urls import path

from focuson.web.evidence import views

app_name = "evidence"
urlpatterns = [
    path("findings/", views.findings, name="findings"),
    path("findings/<int:pk>/", views.finding, name="finding"),
    path("runs/", views.runs, name="runs"),
    path("runs/<int:pk>/", views.run, name="run"),
    path("alerts/", views.alerts, name="alerts"),
    path("compare/", views.compare, name="compare"),
    path("upload/", views.upload, name="upload"),
    path("imports/<int:pk>/", views.job, name="job"),
]
