"""The web half of ``focuson demo``: the North West London programme seeded from its results.

:func:`seed_demo` migrates the database, seeds the programme (its pillars, workstreams and
eight boroughs), imports the demo's Find and monitoring results as the analyst, starts two
example projects from the two top findings as the programme lead, gives a third example
project the demo's Study (:mod:`focuson.web.study.demo`), fills Open on each example project
(:mod:`focuson.web.insight.demo`) and Co-create and Unite on the first
(:mod:`focuson.web.statements.demo`, :mod:`focuson.web.ideas.demo`), and makes one demo
account per role.
Running it again changes nothing and gives the same accounts: their generated passwords are
kept in ``var/web/demo-accounts.txt``, readable only by their owner.

``python -m focuson.web.demo RESULTS`` seeds from a results folder and prints the accounts.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: One demo account per role, in the order they are printed: (role, username, who it is).
DEMO_ACCOUNTS = (
    ("administrator", "admin", "Demo administrator"),
    ("programme_lead", "lead", "Demo programme lead"),
    ("analyst", "analyst", "Demo analyst"),
    ("facilitator", "facilitator", "Demo facilitator"),
    ("viewer", "viewer", "Demo viewer"),
)
#: How many example projects the demo starts from its top findings.
EXAMPLE_PROJECTS = 2
ACCOUNTS_FILE = "demo-accounts.txt"


@dataclass(frozen=True)
class DemoAccount:
    """A demo account: its role (key and name), username and generated password."""

    role: str
    role_name: str
    username: str
    password: str


@dataclass(frozen=True)
class DemoProject:
    """An example project the demo started (or found from an earlier run of the demo)."""

    id: int
    title: str
    created: bool


@dataclass(frozen=True)
class DemoSeed:
    """What :func:`seed_demo` made: the imported run, the example projects and the accounts."""

    run_id: int
    run_created: bool
    projects: tuple[DemoProject, ...]
    accounts: tuple[DemoAccount, ...]
    accounts_file: Path
    #: The example project with a filled Study step (``focuson.web.study.demo``), if any.
    study: Any = None

    def account(self, role: str) -> DemoAccount:
        """The demo account holding ``role``."""
        return next(account for account in self.accounts if account.role == role)


def seed_demo(results: Path, *, say: Callable[[str], None] = print) -> DemoSeed:
    """Seed the web app from the demo's results folder (idempotently).

    Parameters
    ----------
    results
        A results folder written by ``focuson find`` (and ``focuson monitor``) on the demo's
        synthetic North West London.
    say
        Where progress sentences go.

    Returns
    -------
    DemoSeed
        The imported run, the two example projects and the five demo accounts.
    """
    from django.conf import settings
    from django.core.management import call_command

    from focuson import web

    web.setup()
    folder = Path(settings.VAR) / "web"
    folder.mkdir(parents=True, exist_ok=True)
    say("Preparing the web app's database...")
    call_command("migrate", interactive=False, verbosity=0)

    from focuson.web.evidence.importing import import_results
    from focuson.web.programme.seed import seed_programme

    seed_programme()
    accounts = _accounts(folder / ACCOUNTS_FILE)
    users = _users(accounts)
    say(f"Importing the results in {results}...")
    outcome = import_results(Path(results), user=users["analyst"])
    projects = _example_projects(outcome.run, lead=users["programme_lead"])
    if projects:
        _add_facilitator(projects[0], lead=users["programme_lead"], member=users["facilitator"])
    from focuson.web.study.demo import seed_study

    study = seed_study(
        Path(results),
        find_run=outcome.run,
        analyst=users["analyst"],
        lead=users["programme_lead"],
        say=say,
    )
    _seed_steps(projects, study, users, say=say)
    return DemoSeed(
        run_id=outcome.run.pk,
        run_created=outcome.created,
        projects=tuple(
            DemoProject(id=project.pk, title=project.title, created=created)
            for project, created in projects
        ),
        accounts=accounts,
        accounts_file=folder / ACCOUNTS_FILE,
        study=study,
    )


def _seed_steps(
    projects: list[tuple[Any, bool]],
    study: Any,
    users: dict[str, Any],
    *,
    say: Callable[[str], None],
) -> None:
    """After the Study: Open on every example project (``focuson.web.insight.demo``), and a
    statement round, Co-create and Unite on the first (``statements.demo``, ``ideas.demo``)."""
    from focuson.web.ideas.demo import seed_cocreate
    from focuson.web.insight.demo import seed_open
    from focuson.web.programme.models import Project
    from focuson.web.statements.demo import seed_statements

    examples = [project for project, _created in projects]
    if study is not None:
        examples.append(Project.objects.get(pk=study.project_id))
    lead, facilitator = users["programme_lead"], users["facilitator"]
    for index, project in enumerate(examples):
        seed_open(
            project, lead=lead, analyst=users["analyst"], facilitator=facilitator, index=index,
            say=say,
        )  # fmt: skip
    if examples:
        seed_statements(examples[0], lead=lead, facilitator=facilitator, say=say)
        seed_cocreate(examples[0], lead=lead, facilitator=facilitator, say=say)


def _accounts(path: Path) -> tuple[DemoAccount, ...]:
    """The demo accounts, with the passwords kept in ``path`` (made and saved on first use)."""
    from focuson.web.roles import ROLES

    kept = _read_passwords(path)
    accounts = tuple(
        DemoAccount(
            role=role,
            role_name=str(ROLES[role].name),
            username=username,
            password=kept.get(username) or secrets.token_urlsafe(12),
        )
        for role, username, _ in DEMO_ACCOUNTS
    )
    if any(account.username not in kept for account in accounts):
        _write_passwords(path, accounts)
    # A file copied in with looser permissions is tightened: it holds working passwords.
    path.chmod(0o600)
    return accounts


def _read_passwords(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    passwords = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if len(fields) == 3 and not line.startswith("#"):
            passwords[fields[1]] = fields[2]
    return passwords


def _write_passwords(path: Path, accounts: Iterable[DemoAccount]) -> None:
    lines = [
        "# focuson demo accounts (made by `focuson demo`; delete this file for new passwords)",
        "# role username password",
        *(f"{a.role} {a.username} {a.password}" for a in accounts),
    ]
    temporary = path.with_name(path.name + ".new")
    # Created 0600 from the start, so the passwords are never readable by others, even briefly.
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    temporary.replace(path)


def _users(accounts: Iterable[DemoAccount]) -> dict[str, Any]:
    """Each account's user, by role: made when missing, its role and password set as kept."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    names = {username: name for _, username, name in DEMO_ACCOUNTS}
    users = {}
    for account in accounts:
        first, _, last = names[account.username].partition(" ")
        user, created = user_model.objects.get_or_create(
            username=account.username,
            defaults={"role": account.role, "first_name": first, "last_name": last},
        )
        if created or user.role != account.role or not user.check_password(account.password):
            user.role = account.role
            user.is_active = True
            user.set_password(account.password)
            user.save()
        users[account.role] = user
    return users


def top_findings(run: Any, count: int = EXAMPLE_PROJECTS) -> list[Any]:
    """The run's ``count`` top findings: significant gaps where a group does worse, most people
    affected first, in the latest month, one per indicator (so the examples differ)."""
    worse = run.findings.filter(
        significant=True, suppressed=False, direction="worse", excess__isnull=False
    )
    latest = worse.filter(period=run.last_period) if run.last_period else worse
    chosen: list[Any] = []
    for candidates in (latest, worse):
        for finding in candidates.order_by("-excess", "pk")[:200]:
            if len(chosen) == count:
                return chosen
            if all(finding.indicator != other.indicator for other in chosen):
                chosen.append(finding)
    return chosen


def _example_projects(run: Any, *, lead: Any) -> list[tuple[Any, bool]]:
    """Two projects started from the run's top findings (found again on a rerun, by title)."""
    from focuson.web.programme.actions import start_project
    from focuson.web.programme.models import Borough, Project, Workstream

    workstreams = list(Workstream.objects.all())
    projects = []
    for finding in top_findings(run):
        title = f"{finding.indicator_title}: {finding.group_label}"[:200]
        existing = Project.objects.filter(title=title).first()
        if existing is not None:
            projects.append((existing, False))
            continue
        boroughs = Borough.objects.filter(name=finding.borough) if finding.borough else ()
        project = start_project(
            user=lead,
            finding=finding,
            title=title,
            workstream=_workstream_for(finding, workstreams),
            boroughs=boroughs,
        )
        projects.append((project, True))
    return projects


def _workstream_for(finding: Any, workstreams: list[Any]) -> Any:
    """The workstream whose name shares a word with the finding's indicator, else the
    Core20PLUS5 or inequalities-metrics one, else the first."""
    words = {w for w in finding.indicator_title.lower().replace("-", " ").split() if len(w) > 4}
    for workstream in workstreams:
        if words & set(workstream.name.lower().replace("-", " ").split()):
            return workstream
    for hint in ("core20plus5", "inequalities"):
        for workstream in workstreams:
            if hint in workstream.name.lower():
                return workstream
    if not workstreams:
        raise RuntimeError("The programme has no workstreams: seed_programme() made none.")
    return workstreams[0]


def _add_facilitator(project: tuple[Any, bool], *, lead: Any, member: Any) -> None:
    """Make the facilitator a member of the first example project (only that one)."""
    from focuson.web.programme.actions import add_member

    first = project[0]
    if not first.is_member(member):
        add_member(user=lead, project=first, member=member)


def describe(seed: DemoSeed) -> list[str]:
    """The accounts as lines to print: role, username and password."""
    width = max(len(account.role_name) for account in seed.accounts)
    return [
        f"  {account.role_name:<{width}}  username {account.username:<12} "
        f"password {account.password}"
        for account in seed.accounts
    ]


def main(argv: list[str]) -> int:
    """``python -m focuson.web.demo RESULTS``: seed the web app and print the accounts."""
    if len(argv) != 1:
        print("usage: python -m focuson.web.demo RESULTS_FOLDER", file=sys.stderr)
        return 2
    seed = seed_demo(Path(argv[0]))
    print("\n".join(describe(seed)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
