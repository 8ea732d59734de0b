"""The foundation: pages answer, views deny by default, security headers are sent."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from focuson.web.core.middleware import SELF_CHECKED


def _views(patterns, namespaces=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns, (*namespaces, pattern.namespace))
        elif isinstance(pattern, URLPattern):
            yield namespaces, pattern


def test_every_view_says_who_may_see_it():
    unmarked = [
        str(pattern.pattern)
        for namespaces, pattern in _views(get_resolver().url_patterns)
        if not SELF_CHECKED.intersection(filter(None, namespaces))
        and getattr(pattern.callback, "focuson_permission", None) is None
    ]
    assert unmarked == []


@pytest.mark.django_db
def test_home_is_public_with_a_content_security_policy(client):
    response = client.get("/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "https:" not in policy
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_right_to_left_languages_lay_the_page_out_right_to_left(client):
    response = client.get("/", headers={"accept-language": "ar"})
    assert b'dir="rtl"' in response.content and b'lang="ar"' in response.content
