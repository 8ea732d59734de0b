"""Production settings: ``manage.py check --deploy`` is clean under these.

HTTPS is assumed in front of the app (a reverse proxy sets ``X-Forwarded-Proto``); secure
cookies, HSTS and the redirect follow from it. ``FOCUSON_SECRET_KEY`` is required.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from focuson.web.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ.get("FOCUSON_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "Set FOCUSON_SECRET_KEY to a random string of at least 50 characters "
        '(python -c "import secrets; print(secrets.token_urlsafe(50))").'
    )
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = os.environ.get("FOCUSON_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
