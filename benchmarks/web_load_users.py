"""The people of the web app's load run (a locustfile; ``benchmarks/web_load.py`` runs it).

Programme leads browse and write (record a decision, edit a step's notes); viewers browse.
Each simulated person signs in once with a demo account, then waits one to three seconds
between requests, as someone reading pages would. Requests are named by the kind of page, so
the statistics come out per kind. A response is a failure when its status is not 200 after
redirects, or when a form answers with its error summary (nothing was saved).

What to request comes from the JSON file named by ``FOCUSON_LOAD_TARGETS`` (written by
``web_load.py --targets``): the paths of the board, the findings explorer, findings, projects,
the API, the write forms, and the demo accounts.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from collections import defaultdict
from typing import Any

from locust import HttpUser, between, events, task

TARGETS: dict[str, Any] = json.loads(
    open(os.environ["FOCUSON_LOAD_TARGETS"], encoding="utf-8").read()  # noqa: SIM115
)
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_ERRORS = "nhsuk-error-summary"
#: Seconds after the last person signed in before the steady state is recorded.
SETTLE = 5.0
_signed_in = 0
_steady_from: float | None = None
#: name -> [(response time in ms, failed)] of requests made in the steady state.
_steady: dict[str, list[tuple[float, bool]]] = defaultdict(list)
_window: list[float] = []


@events.request.add_listener
def _record(name: str, response_time: float, exception: Any, **_: Any) -> None:
    # The steady state: everyone has signed in (each sign-in checks a deliberately slow
    # password hash; fifty in a few seconds hold the cores), and a few seconds have passed.
    now = time.monotonic()
    if _steady_from is not None and now >= _steady_from:
        _steady[name].append((response_time, exception is not None))
        _window[1:] = [now]


@events.quitting.add_listener
def _save(**_: Any) -> None:
    where = os.environ.get("FOCUSON_LOAD_STEADY")
    if where and _steady_from is not None and len(_window) == 2:
        seconds = _window[1] - _window[0]
        with open(where, "w", encoding="utf-8") as handle:
            json.dump({"seconds": seconds, "requests": _steady}, handle)


class _Person(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    role = "viewer"

    def on_start(self) -> None:
        username, password = TARGETS["accounts"][self.role]
        self._post_form(TARGETS["login"], {"username": username, "password": password}, "sign in")
        global _signed_in, _steady_from
        _signed_in += 1
        if _signed_in == self.environment.parsed_options.num_users:
            _steady_from = time.monotonic() + SETTLE
            _window[:] = [_steady_from]

    def _post_form(self, path: str, data: dict[str, str], name: str) -> None:
        """GET the form (for its CSRF token), then POST it; a page with errors is a failure."""
        with self.client.get(path, name=f"{name} (form)", catch_response=True) as form:
            token = _CSRF.search(form.text or "")
            if form.status_code != 200 or token is None:
                form.failure(f"no form at {path} ({form.status_code})")
                return
        with self.client.post(
            path,
            data={"csrfmiddlewaretoken": token.group(1), **data},
            headers={"Referer": f"{self.host}{path}"},
            name=f"{name} (POST)",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif _ERRORS in response.text:
                response.failure("the form answered with errors")
            elif "login" in response.url and name != "sign in":
                response.failure("sent to sign in")

    @task(3)
    def board(self) -> None:
        self.client.get(TARGETS["board"], name="board")

    @task(3)
    def findings_explorer(self) -> None:
        self.client.get(TARGETS["findings"], name="findings explorer")

    @task(3)
    def finding(self) -> None:
        self.client.get(random.choice(TARGETS["finding_pages"]), name="finding page")

    @task(3)
    def project(self) -> None:
        self.client.get(random.choice(TARGETS["project_pages"]), name="project page")

    @task(2)
    def api(self) -> None:
        path = random.choice(TARGETS["api"])
        self.client.get(path, name="API " + re.sub(r"/\d+", "/{id}", path.split("?")[0]))


class Viewer(_Person):
    """A board member reading the programme and the evidence."""

    weight = 3
    role = "viewer"


class ProgrammeLead(_Person):
    """A programme lead: reads like everyone and records decisions and step notes."""

    weight = 7
    role = "programme_lead"

    @task(1)
    def record_decision(self) -> None:
        write = random.choice(TARGETS["decision_forms"])
        self._post_form(write["path"], write["data"], "record a decision")

    @task(1)
    def edit_step(self) -> None:
        write = random.choice(TARGETS["step_forms"])
        self._post_form(write["path"], write["data"], "edit a step")
