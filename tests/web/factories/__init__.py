"""Factories for the web app's models (factory-boy), one module per model.

Import them from their module, e.g. ``from tests.web.factories.user import UserFactory``
(``pyproject.toml`` puts the checkout on pytest's ``pythonpath``). Compose them in fixtures
(``tests/web/conftest.py``) rather than building objects by hand in tests.
"""
