"""The WSGI application that ``focuson serve`` hands to gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "focuson.web.settings.base")
application = get_wsgi_application()
