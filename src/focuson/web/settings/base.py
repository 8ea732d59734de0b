"""Settings for the demo and development: SQLite under ``var/``, PostgreSQL by ``DATABASE_URL``.

Everything a deployment must change comes from the environment (``FOCUSON_SECRET_KEY``,
``FOCUSON_ALLOWED_HOSTS``, ``DATABASE_URL``, ``FOCUSON_VAR``); ``production`` tightens the rest.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

WEB = Path(__file__).resolve().parents[1]
#: The checkout (src/focuson/web -> the repository): var/ and node_modules/ live there.
ROOT = WEB.parents[2]
VAR = Path(os.environ.get("FOCUSON_VAR", ROOT / "var"))

# A development key: production.py refuses to start without FOCUSON_SECRET_KEY.
SECRET_KEY = os.environ.get("FOCUSON_SECRET_KEY", "focuson-development-key-not-for-production")
DEBUG = os.environ.get("FOCUSON_DEBUG", "") == "1"
ALLOWED_HOSTS = os.environ.get("FOCUSON_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "focuson.web.core",
    "focuson.web.accounts",
    "focuson.web.programme",
    "focuson.web.evidence",
    "focuson.web.study",
    "focuson.web.ideas",
    "focuson.web.insight",
    "focuson.web.statements",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Every view must say who may see it (focuson.web.permissions); the rest answer 404.
    "focuson.web.core.middleware.DenyByDefaultMiddleware",
    # Last, as django-axes asks: it counts failed logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "focuson.web.urls"
WSGI_APPLICATION = "focuson.web.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "focuson.web.core.context.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR / 'web' / 'focuson.sqlite3'}",
        conn_max_age=int(os.environ.get("FOCUSON_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL and a busy timeout: readers never block the writer, and 50 users writing at once wait
    # for the lock instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# -- languages -------------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
# Languages most spoken in North West London after English (Census 2021), the app's own words
# translated as translators provide them; Arabic, Farsi and Urdu are laid out right to left.
LANGUAGES = [
    ("en-gb", _("English")),
    ("ar", _("Arabic")),
    ("bn", _("Bengali")),
    ("fa", _("Farsi")),
    ("pl", _("Polish")),
    ("pt", _("Portuguese")),
    ("pa", _("Punjabi")),
    ("ro", _("Romanian")),
    ("es", _("Spanish")),
    ("ta", _("Tamil")),
    ("ur", _("Urdu")),
]
LOCALE_PATHS = [WEB / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/London"
USE_TZ = True

# -- static files: the NHS.UK frontend and htmx, built by scripts/build-web-assets.sh ----------
STATIC_URL = "/static/"
STATIC_ROOT = VAR / "web" / "static"
STATICFILES_DIRS = [VAR / "web" / "assets"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "focuson.web.core.storage.StaticStorage"},
}
MEDIA_ROOT = VAR / "web" / "uploads"
#: Uploaded results folders (zip) larger than this are refused.
FOCUSON_MAX_UPLOAD_BYTES = 200 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# -- sessions and security -------------------------------------------------------------------
SESSION_COOKIE_AGE = 8 * 60 * 60  # a working day, then sign in again
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# A content security policy with nothing from elsewhere: every script, style, image and font is
# served by the app itself (django-csp 4).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Login throttling (django-axes): five failures lock the username from that address for an hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# -- background tasks (django-tasks with its database backend; `focuson serve` starts a worker)
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
