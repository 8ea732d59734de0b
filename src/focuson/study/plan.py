"""The Study plan: a pre-registration record, frozen before the test starts.

After the Improvement Analytics Unit's Statistical Analysis Protocol (Health Foundation with NHS
England; evaluation.md section 5): primary outcome and which direction is better, the groups for
the gap, the smallest worthwhile change for the overall effect and for the gap, the design,
comparison units, pre and post windows, a transition period left out, the model and known
concurrent events. :func:`freeze` stamps it with a time and the SHA-256 of its canonical JSON;
:meth:`PlanRecord.amend` records every later change as a new version, saying whether data had
been seen.

>>> plan = read_plan_text('''
... outcome: {indicator: cervical_screening, better: higher}
... smallest_worthwhile_change: {overall: 2, gap: 1}
... design: its
... windows: {pre: {start: 2022-01, end: 2023-12}, post: {start: 2024-01, end: 2024-12}}
... ''')
>>> plan.gap.by
'imd_quintile'
>>> len(plan_hash(plan))
64
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

#: The longest plan read, in characters (a plan is a page; this refuses a mistaken file early).
MAX_PLAN_CHARACTERS = 200_000
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

Design = Literal[
    "its", "comparative_its", "did", "staggered", "synthetic_control", "sdid", "ancova",
    "descriptive",
]  # fmt: skip


def _month(v: Any) -> Any:
    if isinstance(v, str) and _MONTH.match(v):
        return v
    raise ValueError("expected a month written YYYY-MM, e.g. 2024-01")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Outcome(_Model):
    """The primary outcome: an indicator id and which direction is better."""

    indicator: str = Field(min_length=1)
    better: Literal["higher", "lower"]


class GapGroups(_Model):
    """The groups the gap is measured between (IMD quintile 1 = most deprived by default)."""

    by: Literal["imd_quintile", "ethnicity", "age", "sex"] = "imd_quintile"
    most: str = "1"
    least: str = "5"

    @field_validator("most", "least", mode="before")
    @classmethod
    def _text(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v


class SmallestWorthwhileChange(_Model):
    """The smallest changes worth having, in the outcome's units (pp for proportions)."""

    overall: float = Field(gt=0)
    gap: float = Field(gt=0)


class StudyUnit(_Model):
    """The unit tested: a group of a monitoring breakdown (e.g. borough Brent).

    None in a plan means the whole population (the ``overall`` series).
    """

    dimension: str = Field(min_length=1)
    group: str = Field(min_length=1)

    @field_validator("group", mode="before")
    @classmethod
    def _text(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v


class Window(_Model):
    """A span of months, ``YYYY-MM`` to ``YYYY-MM`` inclusive."""

    start: str
    end: str

    _months = field_validator("start", "end", mode="before")(_month)

    @property
    def months(self) -> int:
        """The number of months in the window, both ends included.

        >>> Window(start="2023-11", end="2024-02").months
        4
        """
        (y0, m0), (y1, m1) = (map(int, v.split("-")) for v in (self.start, self.end))
        return (y1 - y0) * 12 + (m1 - m0) + 1

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.start > self.end:
            raise ValueError("the window ends before it starts")
        return self


class Windows(_Model):
    """Pre-period, post-period and an optional transition left out between them."""

    pre: Window
    post: Window
    transition: Window | None = None

    @model_validator(mode="after")
    def _in_order(self) -> Windows:
        if self.pre.end >= self.post.start:
            raise ValueError("the post window must start after the pre window ends")
        t = self.transition
        if t is not None and not (self.pre.end < t.start and t.end < self.post.start):
            raise ValueError("the transition window must lie between the pre and post windows")
        return self


class ModelSpec(_Model):
    """The model chosen a priori (Lopez Bernal, Cummins & Gasparrini 2017 checklist)."""

    family: Literal["gaussian", "binomial", "poisson"] = "binomial"
    impact: Literal["level", "slope", "level_and_slope"] = "level_and_slope"
    fourier_pairs: int = Field(default=2, ge=0, le=6)
    hac_lags: int | None = Field(default=None, ge=0)


class ConcurrentEvent(_Model):
    """A known event during the test (campaign, funding change, coding change)."""

    month: str
    description: str = Field(min_length=1)

    _months = field_validator("month", mode="before")(_month)


class Plan(_Model):
    """A Study plan. Every field is named in evaluation.md section 5.

    Examples
    --------
    >>> Plan.model_validate({"outcome": {"indicator": "x", "better": "lower"},
    ...     "smallest_worthwhile_change": {"overall": 1, "gap": 1}, "design": "did",
    ...     "comparison_units": ["E09000002"],
    ...     "windows": {"pre": {"start": "2023-01", "end": "2023-12"},
    ...                 "post": {"start": "2024-01", "end": "2024-06"}}}).model.family
    'binomial'
    """

    title: str = ""
    outcome: Outcome
    unit: StudyUnit | None = None
    #: The monitoring results folder (``focuson monitor --out``) the series are read from,
    #: relative to the plan file; ``focuson study --levels`` overrides it.
    levels: str | None = None
    gap: GapGroups = GapGroups()
    smallest_worthwhile_change: SmallestWorthwhileChange
    design: Design
    comparison_units: tuple[str, ...] = ()
    #: Staggered roll-out: the first month of each treated unit (the plan's unit, when not
    #: named, starts with the post window); units not named are never treated.
    rollout: dict[str, str] = Field(default_factory=dict)
    windows: Windows
    model: ModelSpec = ModelSpec()
    concurrent_events: tuple[ConcurrentEvent, ...] = ()

    @model_validator(mode="after")
    def _comparison(self) -> Plan:
        needs = {"did", "synthetic_control", "sdid", "comparative_its"}
        if self.design in needs and not self.comparison_units:
            raise ValueError(f"design '{self.design}' needs comparison_units (a list of units)")
        starts = set(self.rollout.values())
        if self.unit is not None and self.unit.group not in self.rollout:
            starts.add(self.windows.post.start)
        if self.design != "staggered" and len(starts) > 1:
            raise ValueError(
                "the rollout starts in different months: two-way fixed effects is biased under "
                "staggered adoption; use design: staggered (evaluation.md 3.5)"
            )
        if self.design == "staggered":
            if self.unit is None:
                raise ValueError("design 'staggered' needs the plan's unit and its rollout")
            if not self.rollout:
                raise ValueError(
                    "design 'staggered' needs rollout: the first month of each treated unit"
                )
            w = self.windows
            late = [u for u, m in self.rollout.items() if not w.pre.start < m <= w.post.end]
            if late:
                raise ValueError(
                    f"rollout months of {', '.join(late)} must fall after the pre window starts "
                    "and no later than the post window ends"
                )
        return self

    @field_validator("rollout", mode="before")
    @classmethod
    def _rollout(cls, v: Any) -> Any:
        if isinstance(v, dict):
            return {str(k): _month(m) for k, m in v.items()}
        return v


class PlanError(ValueError):
    """A plan that cannot be read, with the file, line and field at fault."""


def _line_of(root: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """The 1-based line of the YAML node at a pydantic error location (the deepest found)."""
    node, line = root, (root.start_mark.line + 1 if root is not None else None)
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == part:
                    child = v
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            child = node.value[part] if part < len(node.value) else None
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line


def read_plan_text(text: str, *, label: str = "the plan") -> Plan:
    """Validate a plan written as YAML text; errors name ``label``, line and field.

    Examples
    --------
    >>> read_plan_text("design: its", label="plan.yaml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    focuson.study.plan.PlanError: plan.yaml, line 1: outcome: this field is missing...
    """
    if len(text) > MAX_PLAN_CHARACTERS:
        raise PlanError(f"{label} is longer than {MAX_PLAN_CHARACTERS:,} characters; is it a plan?")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise PlanError(f"{label}{where}: {problem}. Fix the YAML and try again.") from None
    if not isinstance(data, dict):
        raise PlanError(f"{label}: expected a mapping of keys (outcome, design, windows, ...).")
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors(include_input=False):
            loc = tuple(err["loc"])
            field = ".".join(str(p) for p in loc) or "(the plan)"
            line = _line_of(root, loc)
            msg = "this field is missing" if err["type"] == "missing" else err["msg"]
            msg = msg.removeprefix("Value error, ")
            lines.append(f"{label}, line {line}: {field}: {msg}")
        raise PlanError(
            "\n".join(lines) + "\nFix these fields (docs/study.md lists them) and try again."
        ) from None


def read_plan(path: str | Path) -> Plan:
    """Read and validate a plan from a YAML file (see :func:`read_plan_text`)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanError(f"{p}: no such file. Check the path to the plan.") from None
    except UnicodeDecodeError:
        raise PlanError(f"{p}: not a text file in UTF-8. Save the plan as UTF-8 YAML.") from None
    return read_plan_text(text, label=p.name)


def canonical_json(plan: Plan) -> bytes:
    """The plan as canonical JSON (sorted keys, no spaces, UTF-8): what the hash is taken of."""
    return json.dumps(
        plan.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def plan_hash(plan: Plan) -> str:
    """SHA-256 (hex) of :func:`canonical_json`; equal plans have equal hashes."""
    return hashlib.sha256(canonical_json(plan)).hexdigest()


class PlanVersion(_Model):
    """One frozen version of a plan."""

    version: int = Field(ge=1)
    frozen_at: datetime
    sha256: str
    data_seen: bool
    reason: str
    plan: Plan


class PlanRecord(_Model):
    """Every frozen version of a plan, oldest first.

    Examples
    --------
    >>> p = Plan.model_validate({"outcome": {"indicator": "x", "better": "higher"},
    ...     "smallest_worthwhile_change": {"overall": 2, "gap": 1}, "design": "its",
    ...     "windows": {"pre": {"start": "2023-01", "end": "2023-12"},
    ...                 "post": {"start": "2024-01", "end": "2024-06"}}})
    >>> r = freeze(p).amend(p.model_copy(update={"title": "Uptake"}), data_seen=True,
    ...                     reason="named the study")
    >>> [v.version for v in r.versions], r.changed_after_data_seen
    ([1, 2], True)
    """

    versions: tuple[PlanVersion, ...]

    @model_validator(mode="after")
    def _hashes_match(self) -> PlanRecord:
        if not self.versions:
            raise ValueError("a plan record holds at least one version")
        for i, v in enumerate(self.versions, start=1):
            if v.version != i:
                raise ValueError("versions must be numbered 1, 2, 3, ... in order")
            if plan_hash(v.plan) != v.sha256:
                raise ValueError(f"version {i} does not match its SHA-256: the plan was edited")
        return self

    @property
    def current(self) -> PlanVersion:
        """The latest version."""
        return self.versions[-1]

    @property
    def changed_after_data_seen(self) -> bool:
        """True when any version after the first was frozen after data had been seen."""
        return any(v.data_seen for v in self.versions[1:])

    def amend(
        self, plan: Plan, *, data_seen: bool, reason: str, now: datetime | None = None
    ) -> PlanRecord:
        """A new record with ``plan`` frozen as the next version.

        Raises
        ------
        PlanError
            When ``plan`` is the same as the current version, or ``reason`` is empty.
        """
        if not reason.strip():
            raise PlanError("Say why the plan changed (reason): it is shown on the Study card.")
        digest = plan_hash(plan)
        if digest == self.current.sha256:
            raise PlanError("The amended plan is the same as the current version: nothing to do.")
        v = PlanVersion(
            version=len(self.versions) + 1,
            frozen_at=now or datetime.now(UTC),
            sha256=digest,
            data_seen=data_seen,
            reason=reason,
            plan=plan,
        )
        return PlanRecord(versions=(*self.versions, v))


def freeze(plan: Plan, *, data_seen: bool = False, now: datetime | None = None) -> PlanRecord:
    """Freeze ``plan`` as version 1, stamped with the time (UTC) and its SHA-256."""
    v = PlanVersion(
        version=1,
        frozen_at=now or datetime.now(UTC),
        sha256=plan_hash(plan),
        data_seen=data_seen,
        reason="first version",
        plan=plan,
    )
    return PlanRecord(versions=(v,))
