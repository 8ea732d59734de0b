"""``seed_demo``: the programme seeded from the demo's results, the same again on a rerun."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from focuson.data.synthetic import generate
from focuson.runs.find import run_find
from focuson.runs.monitor import run_monitor
from focuson.web.accounts.models import User
from focuson.web.demo import DEMO_ACCOUNTS, seed_demo, top_findings
from focuson.web.evidence.models import Alert, Finding, Run
from focuson.web.programme.models import Project


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Find and monitoring results of a synthetic North West London at scale 0.01."""
    folder = tmp_path_factory.mktemp("demo")
    data = generate(folder / "data", scale=0.01)
    run_find(data.mapping, folder / "results", report=False)
    run_monitor(data.mapping, folder / "results", report=False)
    return folder / "results"


@pytest.fixture
def var(settings, tmp_path: Path) -> Path:
    # The accounts file goes under the settings' var folder: a temporary one, never the checkout's.
    settings.VAR = tmp_path
    return tmp_path


def _quiet(_: str) -> None:
    pass


@pytest.mark.django_db(transaction=True)
def test_seed_demo_imports_starts_two_projects_and_makes_an_account_per_role(results, var):
    seed = seed_demo(results, say=_quiet)

    run = Run.objects.get(pk=seed.run_id)
    assert seed.run_created and run.findings.exists() and run.alerts.exists()
    assert [a.role for a in seed.accounts] == [role for role, _, _ in DEMO_ACCOUNTS]
    for account in seed.accounts:
        user = User.objects.get(username=account.username)
        assert user.check_password(account.password) and user.role == account.role
    # Two projects, from the two top findings, owned by the programme lead.
    projects = [Project.objects.get(pk=p.id) for p in seed.projects]
    assert [p.finding for p in projects] == top_findings(run)
    assert len(projects) == 2 and all(p.owner.username == "lead" for p in projects)
    facilitator = User.objects.get(username=seed.account("facilitator").username)
    assert [p.is_member(facilitator) for p in projects] == [True, False]
    # The passwords are kept where only their owner may read them.
    assert stat.S_IMODE(seed.accounts_file.stat().st_mode) == 0o600
    assert all(a.password in seed.accounts_file.read_text() for a in seed.accounts)


@pytest.mark.django_db(transaction=True)
def test_seed_demo_again_changes_nothing_and_keeps_the_passwords(results, var):
    first = seed_demo(results, say=_quiet)
    counts = (Run.objects.count(), Finding.objects.count(), Alert.objects.count())
    again = seed_demo(results, say=_quiet)

    assert again.accounts == first.accounts
    assert not again.run_created and again.run_id == first.run_id
    assert [p.id for p in again.projects] == [p.id for p in first.projects]
    assert not any(p.created for p in again.projects)
    assert (Run.objects.count(), Finding.objects.count(), Alert.objects.count()) == counts
    # The two from the top findings and the Study's example project (focuson.web.study.demo).
    assert again.study.run_id == first.study.run_id and not again.study.created
    assert Project.objects.count() == 3
