"""Every URL of the web app: one include per app, the API, the admin."""

from django.contrib import admin
from django.urls import include, path

from focuson.web.api import api

admin.site.site_header = "focuson administration"
admin.site.site_title = "focuson"

urlpatterns = [
    path("", include("focuson.web.core.urls")),
    path("accounts/", include("focuson.web.accounts.urls")),
    path("programme/", include("focuson.web.programme.urls")),
    path("evidence/", include("focuson.web.evidence.urls")),
    path("study/", include("focuson.web.study.urls")),
    path("ideas/", include("focuson.web.ideas.urls")),
    # Residents type a co-creation session's or a statement round's code here (no account).
    path("join/", include("focuson.web.ideas.join_urls")),
    path("open/", include("focuson.web.insight.urls")),
    path("statements/", include("focuson.web.statements.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
