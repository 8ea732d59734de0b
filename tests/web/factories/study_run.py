"""Study runs as an import stores them: the plan's SHA-256, the verdict, the effects and the
card's SHA-256 in the manifest, pointing at a tiny committed card (``tests/web/study/card/``)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import factory

from focuson.study.plan import plan_hash, read_plan_text
from focuson.web.evidence.models import Run

ROOT = Path(__file__).resolve().parents[3]
#: The example plan of docs/study.md (the demo's planted intervention in Brent).
PLAN_FILE = ROOT / "docs" / "examples" / "study-brent-breast-screening.yaml"
PLAN_TEXT = PLAN_FILE.read_text(encoding="utf-8")
CARD_FOLDER = Path(__file__).resolve().parents[1] / "study" / "card"

OVERALL = (
    "Breast screening invitations taken up within 6 months in borough Brent improved by "
    "15.5 pp (10.1 pp to 20.9 pp): improved."
)
GAP = "The gap between IMD quintiles 1 and 4 (1 = most deprived) narrowed by 4.0 pp (1.0 to 7.0)."


def _manifest(run: Any) -> dict[str, Any]:
    card = (Path(run.source) / "card.html").read_bytes()
    return {
        "main": {
            "kind": "focuson study",
            "design": "its",
            "plan_sha256": run.plan_sha256,
            "verdict": {"overall": OVERALL, "gap": GAP, "flag": "none"},
            "power": "This test can detect 10.9 pp overall.",
            "outputs": {"card.html": {"sha256": hashlib.sha256(card).hexdigest()}},
        }
    }


def _study(run: Any) -> dict[str, Any]:
    return {
        "verdict": [
            {"estimand": "overall", "verdict": "Improved", "sentence": OVERALL, "flag": "none"},
            {"estimand": "gap", "verdict": "Improved", "sentence": GAP, "flag": "none"},
        ],
        "effects": [
            {
                "estimand": "overall",
                "group": "Brent",
                "estimate": 15.52,
                "lower": 10.11,
                "upper": 20.93,
                "units": "pp",
                "relative": 28.2,
                "relative_lower": 16.7,
                "relative_upper": 40.8,
                "se_convention": "HAC (Newey-West, Bartlett, L = 2, z)",
            },
            {
                "estimand": "gap",
                "group": "1 vs 4",
                "estimate": 4.0,
                "lower": 1.0,
                "upper": 7.0,
                "units": "pp",
                "relative": None,
                "relative_lower": None,
                "relative_upper": None,
                "se_convention": "HAC (Driscoll-Kraay)",
            },
            # A group's own effect: the card's forest plot, not the page's table.
            {"estimand": "group", "group": "1", "estimate": 18.0, "lower": 9.0, "upper": 27.0},
        ],
    }


class StudyRunFactory(factory.django.DjangoModelFactory):
    """A Study run of the example plan (``plan_sha256=`` for a run of another plan)."""

    class Meta:
        model = Run
        exclude = ("plan_sha256",)

    plan_sha256 = factory.LazyFunction(lambda: plan_hash(read_plan_text(PLAN_TEXT)))
    kind = Run.Kind.STUDY
    title = factory.Sequence(lambda n: f"Study: Breast screening invitations in Brent ({n})")
    content_hash = factory.Sequence(lambda n: f"{n + 10**6:064x}")
    source = str(CARD_FOLDER)
    focuson_version = "0.1.0"
    manifest = factory.LazyAttribute(_manifest)
    study = factory.LazyAttribute(_study)
