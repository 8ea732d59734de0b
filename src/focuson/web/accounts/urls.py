from django.urls import path

from focuson.web.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("me/", views.me, name="me"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
]
