"""The shipped alerting rules pass `promtool check rules` and their unit tests (`promtool test
rules`). Debian's `prometheus` package has promtool; CI installs it and requires this test."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

RULES = Path(__file__).resolve().parents[2] / "data" / "prometheus"

pytestmark = pytest.mark.promtool


@pytest.fixture
def promtool() -> str:
    found = shutil.which("promtool")
    if found is None:
        pytest.skip("promtool is not installed (Debian: apt-get install prometheus)")
    return found


def test_rules_are_valid(promtool: str) -> None:
    run = subprocess.run([promtool, "check", "rules", str(RULES / "rota-alerts.yaml")],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "4 rules found" in run.stdout + run.stderr


def test_rule_unit_tests_pass(promtool: str) -> None:
    run = subprocess.run([promtool, "test", "rules", "rota-alerts.test.yaml"], cwd=RULES,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "SUCCESS" in run.stdout + run.stderr


def test_every_rule_has_a_unit_test() -> None:
    import yaml

    rules = yaml.safe_load((RULES / "rota-alerts.yaml").read_text())
    tests = yaml.safe_load((RULES / "rota-alerts.test.yaml").read_text())
    alerts = {r["alert"] for g in rules["groups"] for r in g["rules"]}
    tested = {case["alertname"] for t in tests["tests"] for case in t["alert_rule_test"]
              if case.get("exp_alerts")}
    assert alerts == tested
