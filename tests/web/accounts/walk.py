"""The permission walk's objects for the accounts URLs (see ``tests/web/walk.py``)."""

from __future__ import annotations

from typing import Any

from tests.web.factories.api_token import ApiTokenFactory
from tests.web.walk import World


def _own_token(world: World) -> Any:
    # Revoking is for your own tokens; the public gets one of someone else's to try.
    return world.once(
        "api_token", lambda: ApiTokenFactory(**({"user": world.user} if world.user else {}))
    )


WALK_OBJECTS = {"accounts:revoke_token:pk": _own_token}
