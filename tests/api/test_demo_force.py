"""`rota demo` does not replace a rota that covers more P0 peak demand without `--force`."""

from __future__ import annotations

from pathlib import Path

from test_api_publish_force import _every_peak_covered
from typer.testing import CliRunner

from rota.cli import app
from rota.rotafile import parse_rota
from rota.store import Store
from rota.validation import load_scenario

HERE = Path(__file__).parent


def test_demo_refuses_to_publish_a_worse_plan_without_force(tmp_path: Path) -> None:
    env = {"ROTA_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}"}
    scenario = load_scenario(HERE / "tiny-team.yaml")
    store = Store.open(env["ROTA_DATABASE_URL"])
    store.teams.put_scenario(scenario)
    # The current rota covers every peak by breaking max_consecutive_days (Bo, New York's only
    # responder fast enough at its peak, on call seven days in a row): no plan within the rules can.
    store.teams.publish(parse_rota(_every_peak_covered(), scenario), "upload", "test")
    store.close()
    args = ["demo", "--scenario", str(HERE / "tiny-team.yaml"), "--time-limit", "1", "--no-serve"]
    refused = CliRunner().invoke(app, args, env=env)
    assert refused.exit_code == 1, refused.output
    assert "not published" in refused.output and "--force" in refused.output
    store = Store.open(env["ROTA_DATABASE_URL"])
    assert store.teams.current_version("tiny") == 1
    store.close()
    forced = CliRunner().invoke(app, [*args, "--force"], env=env)
    assert forced.exit_code == 0, forced.output
    store = Store.open(env["ROTA_DATABASE_URL"])
    assert store.teams.current_version("tiny") == 2
    store.close()
