"""Join codes: what a code opens is one object, in one browser, anonymously."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.contrib.sessions.middleware import SessionMiddleware
from django.test import RequestFactory
from django.utils import timezone

from focuson.web.core import join_codes


def _request():
    request = RequestFactory().get("/")
    SessionMiddleware(lambda r: None).process_request(request)
    return request


def _room(pk, **fields):
    # Joinable is abstract: a stand-in with what join_codes reads (no model is registered).
    meta = SimpleNamespace(label_lower="ideas.session")
    room = SimpleNamespace(pk=pk, _meta=meta, open_for_joining=True, closes_at=None, **fields)
    room.accepting = lambda: join_codes.Joinable.accepting(room)
    return room


def test_codes_are_random_unambiguous_and_normalised():
    codes = {join_codes.new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 8 and set(c) <= set(join_codes.ALPHABET) for c in codes)
    assert not set("01ILOS5") & set(join_codes.ALPHABET)
    assert join_codes.normalise(" abcd-2345 ") == "ABCD2345"


def test_joining_gives_one_anonymous_id_for_that_object_only():
    request = _request()
    first, other = _room(1), _room(2)
    assert join_codes.participant(request, first) is None
    token = join_codes.join(request, first)
    assert len(token) == 32
    assert join_codes.join(request, first) == token  # re-entering the code keeps the same id
    assert join_codes.participant(request, first) == token
    assert join_codes.participant(request, other) is None
    assert join_codes.participant(_request(), first) is None  # another browser has nothing
    join_codes.leave(request, first)
    assert join_codes.participant(request, first) is None


def test_an_object_accepts_residents_only_while_open():
    room = _room(1)
    assert room.accepting()
    room.closes_at = timezone.now() - timedelta(minutes=1)
    assert not room.accepting()
    room.closes_at = timezone.now() + timedelta(hours=1)
    assert room.accepting()
    room.open_for_joining = False
    assert not room.accepting()
