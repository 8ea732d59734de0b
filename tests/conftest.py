"""Test-wide settings: deterministic Hypothesis in CI, more examples on request."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("FOCUSON_HYPOTHESIS_PROFILE", "ci"))
