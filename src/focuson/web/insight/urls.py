from django.urls import path

from focuson.web.insight import views

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
]
