"""API: who am I."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from focuson.web.permissions import Permission, check, role_permissions

router = Router(tags=["people"])


class MeOut(Schema):
    username: str
    role: str
    permissions: list[str]


@router.get("/me", response=MeOut, summary="The person the request is made as, and their role")
def me(request: HttpRequest) -> MeOut:
    check(request, Permission.USE_API)
    return MeOut(
        username=request.user.get_username(),
        role=request.user.role,
        permissions=sorted(p.value for p in role_permissions(request.user)),
    )
