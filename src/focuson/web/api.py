"""The JSON API (django-ninja): one router per app, described at ``/api/openapi.json``.

Every endpoint authenticates (a signed-in session or an API token) and calls the same
:func:`focuson.web.permissions.check` as the pages.
"""

from __future__ import annotations

from ninja import NinjaAPI

from focuson.web.accounts.api_auth import AUTH

api = NinjaAPI(
    title="focuson",
    version="1",
    description="Projects, steps, decisions, runs, findings and alerts of a Focus-on programme.",
    auth=AUTH,
    urls_namespace="api",
    # The interactive docs page loads Swagger UI from a CDN; the OpenAPI JSON is enough.
    docs_url=None,
)


def _add_routers() -> None:
    from focuson.web.accounts.api import router as accounts
    from focuson.web.evidence.api import router as evidence
    from focuson.web.ideas.api import router as ideas
    from focuson.web.insight.api import router as insight
    from focuson.web.programme.api import router as programme
    from focuson.web.statements.api import router as statements
    from focuson.web.study.api import router as study

    api.add_router("/accounts/", accounts)
    api.add_router("/programme/", programme)
    api.add_router("/evidence/", evidence)
    api.add_router("/study/", study)
    api.add_router("/ideas/", ideas)
    api.add_router("/open/", insight)
    api.add_router("/statements/", statements)


_add_routers()
