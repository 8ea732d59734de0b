"""API authentication: ``Authorization: Bearer <token>`` for scripts, or the browser's session
(ninja's ``django_auth``, which checks CSRF on writes)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, django_auth


class TokenAuth(HttpBearer):
    """An API token made on the person's account page (see ``accounts.ApiToken``)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from focuson.web.accounts.models import ApiToken

        found = ApiToken.find(token)
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


#: Scripts first, then the browser.
AUTH = [TokenAuth(), django_auth]
