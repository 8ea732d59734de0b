"""Test-wide settings: deterministic Hypothesis in CI, no global randomness, no network."""

import os

import numpy as np
import pytest
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


@pytest.fixture(autouse=True)
def _no_global_numpy_random():
    """Fail a test that draws from (or reseeds) numpy's global generator.

    Results must be reproducible from an explicit seed, so every draw goes through
    ``numpy.random.default_rng(seed)``; a change in the global state means something did not.
    """

    def snapshot():
        state = np.random.get_state(legacy=False)["state"]  # noqa: NPY002 (reads, never draws)
        return state["key"].copy(), state["pos"]

    key, pos = snapshot()
    yield
    key_after, pos_after = snapshot()
    assert np.array_equal(key, key_after) and pos == pos_after, (
        "numpy's global random generator was used; pass a seed to default_rng instead"
    )
