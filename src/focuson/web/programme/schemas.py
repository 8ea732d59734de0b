"""The API's shapes: what the programme's endpoints take and give, labels beside codes."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Schema


class Choice(Schema):
    code: str
    label: str


class WorkstreamOut(Schema):
    id: int
    name: str
    description: str
    pillar_id: int
    pillar: str


class PillarOut(Schema):
    id: int
    name: str
    description: str
    order: int
    workstreams: list[WorkstreamOut]


class StepOut(Schema):
    step: Choice
    status: Choice
    description: str
    started_on: datetime.date | None
    finished_on: datetime.date | None
    notes: str
    finding_ids: list[int]
    alert_ids: list[int]


class ProjectOut(Schema):
    id: int
    title: str
    summary: str
    workstream: WorkstreamOut
    boroughs: list[str]
    focus: str
    indicator: Choice
    dimension: Choice
    group: Choice
    area: str
    period: str
    finding_id: int | None
    owner: str
    members: list[str]
    current_step: Choice | None
    created: datetime.datetime
    url: str


class ProjectDetailOut(ProjectOut):
    steps: list[StepOut]


class ProjectIn(Schema):
    title: str
    workstream_id: int
    finding_id: int | None = None
    borough_codes: list[str] = []
    summary: str = ""


class StepIn(Schema):
    status: str
    notes: str | None = None
    started_on: datetime.date | None = None
    finished_on: datetime.date | None = None


class DecisionOut(Schema):
    id: int
    project_id: int
    project: str
    step: Choice
    text: str
    rationale: str
    outcome: Choice | None
    decided_by: str
    decided_on: datetime.date
    finding_ids: list[int]
    alert_ids: list[int]


class DecisionIn(Schema):
    step: str
    text: str
    rationale: str = ""
    outcome: str = ""
    decided_on: datetime.date | None = None
    finding_ids: list[int] = []
    alert_ids: list[int] = []


class UpdateOut(Schema):
    month: str
    status: Choice
    narrative: str
    summary: dict[str, Any]
    published_at: datetime.datetime | None
