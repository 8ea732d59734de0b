"""The programme's home: a Django web app for projects through the six Focus-on steps.

One Django app per step (``programme``, ``evidence``, later ``insight``, ``ideas``, ``study``),
permissions in one place (:mod:`focuson.web.permissions`), and analytics read only through
results folders. Start it with ``focuson serve``; manage it with ``focuson web ARGS``
(Django's ``manage.py``).
"""

import os

SETTINGS = "focuson.web.settings.base"


def setup(settings: str | None = None) -> None:
    """Configure Django for focuson (``DJANGO_SETTINGS_MODULE`` wins when set) and load apps."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings or SETTINGS)
    django.setup()


def manage(argv: list[str]) -> None:
    """Run a Django management command, as ``manage.py`` would (``argv`` without the program)."""
    from django.core.management import execute_from_command_line

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    execute_from_command_line(["focuson web", *argv])
