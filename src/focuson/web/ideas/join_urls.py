"""``/join/``: where a resident types a code, or follows a link with the code in it."""

from django.urls import path

from focuson.web.ideas import resident_views

app_name = "join"
urlpatterns = [
    path("", resident_views.join, name="join"),
    path("<str:code>/", resident_views.join_code, name="code"),
]
