"""What every template gets: the navigation the person may use, their role, the languages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from focuson.web.permissions import Permission, has_permission
from focuson.web.roles import ROLES

#: The header's links: (URL name, label, permission). Apps add theirs here, in cycle order.
NAVIGATION: list[tuple[str, str | Promise, Permission]] = [
    ("programme:board", _("Programme"), Permission.VIEW_PROGRAMME),
    ("evidence:findings", _("Findings"), Permission.VIEW_EVIDENCE),
    ("evidence:runs", _("Results"), Permission.VIEW_EVIDENCE),
    ("programme:updates", _("Monthly updates"), Permission.VIEW_PUBLIC),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    items = []
    for name, label, permission in NAVIGATION:
        if not has_permission(user, permission):
            continue
        try:
            href = reverse(name)
        except Exception:  # an app not installed yet has no URL: leave its link out
            continue
        items.append({"href": href, "label": str(label), "current": False})
    # Only the longest matching link is current (/programme/updates/ is not also /programme/).
    matching = [item for item in items if request.path.startswith(item["href"])]
    if matching:
        max(matching, key=lambda item: len(item["href"]))["current"] = True
    role = ROLES.get(getattr(user, "role", "")) if user is not None else None
    return {"nav_items": items, "user_role": role}
