"""Open's URLs for quotes, the community insight report, REFI-QDA exchange and retention."""

from django.urls import path

from focuson.web.insight import qda, release, report, retention_views

urlpatterns = [
    path("projects/<int:pk>/quotes/", release.quotes, name="quotes"),
    path("codings/<int:pk>/release/", release.release_new, name="release_new"),
    path("quotes/<int:pk>/withdraw/", release.quote_withdraw, name="quote_withdraw"),
    path("projects/<int:pk>/report/", report.report, name="report"),
    path("projects/<int:pk>/report/print/", report.report_print, name="report_print"),
    path("boroughs/<int:pk>/report/", report.borough_report, name="borough_report"),
    path(
        "boroughs/<int:pk>/report/print/", report.borough_report_print, name="borough_report_print"
    ),
    path("projects/<int:pk>/qda/", qda.qda, name="qda"),
    path("projects/<int:pk>/qda/project.qdpx", qda.qdpx_export, name="qdpx_export"),
    path("projects/<int:pk>/qda/codebook.qdc", qda.qdc_export, name="qdc_export"),
    path("projects/<int:pk>/retention/", retention_views.retention_list, name="retention"),
    path("events/<int:pk>/purge/", retention_views.event_purge, name="event_purge"),
]
