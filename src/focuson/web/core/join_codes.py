"""Join codes: residents take part without an account, limited to what the code opened.

A co-creation session or a statement round carries a short code (printed on a flyer, read out in
the room, or sent as a link). Entering it stores an anonymous participant id in the browser's
Django session, for that one object only: the code gives access to nothing else, no name or
contact detail is asked for, and the id is a random token that links a person's contributions
within the session without saying who they are.

Pages for residents are ``@public`` views that call :func:`participant` and send anyone who has
not joined to the join page; staff pages keep their ``@requires`` permission.

Example
-------
>>> code = new_code()
>>> len(code), set(code) <= set(ALPHABET)
(8, True)
>>> normalise(" abcd-2345 ")
'ABCD2345'
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: No 0/O, 1/I/L or 5/S pairs that are misread when a code is read out or copied from paper.
ALPHABET = "ABCDEFGHJKMNPQRTUVWXYZ2346789"
LENGTH = 8
_SESSION_KEY = "focuson_joined"


def new_code() -> str:
    """A fresh random code (29^8, about 5e11 codes: guessing one is not practical)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str) -> str:
    """A code as typed (any case, spaces or dashes) in its stored form."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


class Joinable(models.Model):
    """Abstract: an object residents join with a code while it is open."""

    code = models.CharField(
        _("join code"), max_length=LENGTH, unique=True, default=new_code, editable=False
    )
    open_for_joining = models.BooleanField(_("open for residents to join"), default=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)

    class Meta:
        abstract = True

    def accepting(self) -> bool:
        """True while residents may join and contribute."""
        if not self.open_for_joining:
            return False
        return self.closes_at is None or timezone.now() < self.closes_at


def _key(obj: models.Model) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def join(request: HttpRequest, obj: Joinable) -> str:
    """Record that this browser joined ``obj``; return its anonymous participant id.

    Joining again returns the same id, so a resident who re-enters the code keeps their votes.
    """
    joined: dict[str, Any] = request.session.get(_SESSION_KEY, {})
    token = joined.get(_key(obj)) or secrets.token_hex(16)
    joined[_key(obj)] = token
    request.session[_SESSION_KEY] = joined
    return str(token)


def participant(request: HttpRequest, obj: Joinable) -> str | None:
    """The anonymous participant id this browser has for ``obj``, or None if it never joined."""
    token = request.session.get(_SESSION_KEY, {}).get(_key(obj))
    return str(token) if token else None


def leave(request: HttpRequest, obj: Joinable) -> None:
    """Forget ``obj`` in this browser (its contributions stay, no longer linked to it)."""
    joined = dict(request.session.get(_SESSION_KEY, {}))
    if joined.pop(_key(obj), None) is not None:
        request.session[_SESSION_KEY] = joined
