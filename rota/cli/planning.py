"""`rota plan` and `rota baseline weekly|office-hours`: planning commands.

`rota plan` runs the solver in a worker thread so Ctrl-C in the main thread can stop the search and
still write the best rota found so far. Progress is drawn live only when stdout is a terminal.
"""

from __future__ import annotations

import json
import threading
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.live import Live
from rich.table import Table

from rota.cli.analysis import print_warnings
from rota.cli.app import EXIT_FAILED, app, err, out, parse_instant, reports_errors
from rota.cli.outputs import check_output, exit_if_kept, write_keeping
from rota.errors import FieldError, RotaInvalid
from rota.history import History
from rota.rotafile import Rota, write_rota_json
from rota.rotaio import read_rota
from rota.scenario import Scenario
from rota.validation import load_scenario

EXIT_INTERRUPTED = 130
FEASIBLE = ("OPTIMAL", "FEASIBLE")

ScenarioArg = Annotated[Path, typer.Argument(help="Scenario file (YAML or JSON).")]
OutputOpt = Annotated[Path, typer.Option("--output", "-o", help="Rota file to write (.json).")]


@app.command()
@reports_errors
def plan(
    scenario: ScenarioArg,
    output: OutputOpt,
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.1, help=(
        "Seconds for the whole plan, model building and report included (with --deterministic: "
        "work, see there)."))] = 60.0,
    workers: Annotated[int, typer.Option(min=1, max=64, help="CP-SAT workers.")] = 8,
    seed: Annotated[int, typer.Option(help="Random seed of the search.")] = 0,
    previous: Annotated[Path | None, typer.Option(help="Re-plan with minimal change against this rota.")] = None,
    now: Annotated[str | None, typer.Option(help="Shifts of --previous starting before this never change.")] = None,
    deterministic: Annotated[bool, typer.Option(help=(
        "Repeatable: one worker, fixed seed, and --time-limit counts work, not seconds: each step "
        "is charged by its model's size and the solver's deterministic time, in seconds of a quiet "
        "2-core machine. The same limit gives the same rota on any machine and load, a longer limit "
        "is never worse; on a quiet machine the plan ends near its limit, under load later."))] = False,
    report: Annotated[Path | None, typer.Option(help="Also write the plan's report as JSON.")] = None,
    history: Annotated[list[Path] | None, typer.Option(
        "--history", help="An earlier rota (.json), repeatable, earliest first: its burden in the "
                          "scenario's fairness.lookback_days before the horizon counts for fairness.")] = None,
) -> None:
    """Plan a rota: solve, show progress, write the rota and print the plan's report.

    Exit codes: 0 the rota was written; 1 no feasible rota, a pin that breaks a hard rule, or the
    rota could not be written where asked (it is kept in a temporary file, named); 2 invalid input
    (scenario, rota, option, output path), nothing done; 130 interrupted by Ctrl-C, the best rota
    found so far written.
    """
    from rota.planner import PlanOptions, PlanResult
    from rota.planner import plan as run_plan

    check_output(output, "--output")
    check_output(report, "--report")
    loaded = load_scenario(scenario)
    warnings = print_warnings(loaded)
    prev = read_rota(previous, loaded) if previous is not None else None
    carried = read_histories(history or [], loaded)
    for note in carried.notes:
        err.print(f"note: {note}", highlight=False, markup=False)
    options = PlanOptions(time_limit_seconds=time_limit, workers=workers, seed=seed, previous=prev,
                          now=parse_instant(now, "--now"), deterministic=deterministic,
                          history=carried)
    stop = threading.Event()
    box: dict[str, Any] = {}
    display = _ProgressDisplay(time_limit) if out.is_terminal else None

    finished = threading.Event()

    def work() -> None:
        try:
            box["result"] = run_plan(loaded, options, display.update if display else None, stop)
        except BaseException as exc:  # handed to the main thread, which re-raises it
            box["error"] = exc
        finally:
            finished.set()

    worker = threading.Thread(target=work, name="plan", daemon=True)
    interrupted = _run(worker, finished, stop, display)
    if "error" in box:
        raise box["error"]
    result: PlanResult = box["result"]
    if result.status not in FEASIBLE:
        err.print(f"[bold red]no feasible rota[/] (solver status {result.status})")
        raise typer.Exit(EXIT_FAILED)
    written = write_keeping(output, lambda path: write_rota_json(result.rota, path), "rota")
    report_text = json.dumps({**result.report, "warnings": warnings}, indent=1) + "\n"
    report_written = report and write_keeping(
        report, lambda path: path.write_text(report_text, encoding="utf-8"), "plan's report")
    _print_report(result.report, written)
    for line in warnings:
        out.print(f"no rota can meet: {line}", highlight=False, markup=False)
    if interrupted:
        raise typer.Exit(EXIT_INTERRUPTED)
    exit_if_kept(written, output)
    if report and report_written:
        exit_if_kept(report_written, report)


def read_histories(paths: list[Path], scenario: Scenario) -> History:
    """Every `--history` file read and checked (all errors at once, each naming its file), then
    the burden they carry into the horizon."""
    from rota.history import carried_in, read_history

    rotas: list[tuple[str, Rota]] = []
    notes: list[str] = []
    errors: list[FieldError] = []
    for path in paths:
        try:
            rota, left_out = read_history(path, scenario)
        except RotaInvalid as exc:
            errors += exc.errors
            continue
        rotas.append((f"--history {path}", rota))
        notes += left_out
    if errors:
        raise RotaInvalid(errors)
    return carried_in(scenario, rotas, notes)


def _run(
    worker: threading.Thread,
    finished: threading.Event,
    stop: threading.Event,
    display: _ProgressDisplay | None,
) -> bool:
    """Run the worker; Ctrl-C asks it to stop and waits for the best rota. True when interrupted.

    The main thread waits on an Event, not `Thread.join`: a Ctrl-C inside `join` can leave the
    thread looking finished while it still runs (CPython gh-90882).
    """
    interrupted = False
    live = Live(display.table(), console=out, refresh_per_second=4) if display else None
    if live:
        live.start()
        display.live = live  # type: ignore[union-attr]
    worker.start()
    try:
        while not finished.is_set():
            try:
                finished.wait(0.25)
            except KeyboardInterrupt:
                interrupted = True
                stop.set()
                err.print("interrupted: keeping the best rota found so far ...")
    finally:
        if live:
            live.stop()
    return interrupted


class _ProgressDisplay:
    def __init__(self, time_limit: float) -> None:
        self.time_limit = time_limit
        self.live: Live | None = None
        self.last: Any = None

    def update(self, progress: Any) -> None:
        self.last = progress
        if self.live is not None:
            self.live.update(self.table())

    def table(self) -> Table:
        table = Table(title="planning", show_header=True)
        for col in ("stage", "elapsed s", "solutions", "best", "bound", "gap"):
            table.add_column(col)
        p = self.last
        if p is None:
            table.add_row("building model", "", "0", "", "", "")
            return table
        gap = "" if p.objective in (None, 0) or p.bound is None else \
            f"{max(p.objective - p.bound, 0) / abs(p.objective):.2%}"
        table.add_row(p.stage, f"{p.elapsed_seconds:.1f} / {self.time_limit:g}", str(p.solutions),
                      _number(p.objective), _number(p.bound), gap)
        return table


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2%}"


CARRIED_COLUMNS = (("on call", "on_call_hours_per_40h"), ("asleep", "asleep_hours_per_40h"),
                   ("night", "night_hours_per_40h"), ("weekend", "weekend_hours_per_40h"),
                   ("holiday", "public_holiday_hours_per_40h"))


def _print_carried(carried: dict[str, Any]) -> None:
    """Burden carried in from the look-back window, added by this plan, and carried out."""
    table = Table(title=f"burden across periods, hours per 40 h of weekly capacity: carried in "
                        f"({carried['from'][:10]} to {carried['to'][:10]}) + added = carried out")
    table.add_column("engineer")
    for name, _ in CARRIED_COLUMNS:
        table.add_column(name, justify="right")
    for line in carried["engineers"]:
        table.add_row(line["engineer"], *(
            f"{line['carried_in'][key]:g} + {line['added'][key]:g} = {line['carried_out'][key]:g}"
            for _, key in CARRIED_COLUMNS))
    out.print(table)
    out.print("carried out, spread across engineers (per 40 h): " + ", ".join(
        f"{name} {carried['carried_out_spread'][key]['spread']:g}" for name, key in CARRIED_COLUMNS),
        highlight=False)


def _fairness_steps(report: dict[str, Any]) -> str:
    """What the plan's fairness steps did with the history."""
    moves = report.get("fairness_swaps") or {}
    steps = report.get("fairness_neighbourhoods")
    ran = (f"{steps['improved']} of {steps['steps']} steps gained" if steps
           else "not run (limit under 10 s, or nothing carried in)")
    stage = report.get("fairness_stage")
    if stage and stage["ran"]:
        spread = stage["unsocial_spread_hours_per_40h"]
        whole = (f"fairness stage: night, weekend and holiday spread {spread['before']:g} -> "
                 f"{spread['after']:g} h per 40 h; ")
    else:
        whole = "fairness stage not run (limit under about 65 s); "
    return (f"fairness with history: {whole}{moves.get('across_groups', 0)} burden moves across "
            f"office groups, {moves.get('moved', 0)} twin swaps, fairness neighbourhoods {ran}; "
            f"{moves.get('off_hours_minutes_added', 0)} minutes outside working hours added")


class BaselineKind(StrEnum):
    weekly = "weekly"
    office_hours = "office-hours"


@app.command()
@reports_errors
def baseline(
    kind: Annotated[BaselineKind, typer.Argument(help="weekly or office-hours.")],
    scenario: ScenarioArg,
    output: OutputOpt,
) -> None:
    """Write the rota teams draw by hand today, for comparison with `rota plan`.

    weekly: one engineer per office (engineers sharing a time zone) on call 24/7 for a week, in turn.
    office-hours: each office covers its own working hours, one engineer a week, in turn.
    Exit codes: 0 written; 2 invalid input.
    """
    from rota.planner.baselines import office_hours_rota, weekly_rota

    check_output(output, "--output")
    loaded = load_scenario(scenario)
    rota: Rota = weekly_rota(loaded) if kind is BaselineKind.weekly else office_hours_rota(loaded)
    write_rota_json(rota, output)
    out.print(f"wrote {output}: {kind.value} baseline, {len(rota.shifts)} shifts", highlight=False)


def _peak_grid(report: dict[str, Any]) -> str:
    if report["model"].get("peak_grid") == "full":
        return "every shift the rules allow (every start step, lengths in whole steps)"
    return "the model's candidate shifts"


def _headline(report: dict[str, Any], output: Path) -> str:
    """What the plan achieved, and for an unproved one the gap of the stage it names."""
    head = f"wrote {output}: {report['model']['shifts']} shifts, {report['seconds']:.1f} s, "
    achieved = report.get("achieved")
    if achieved == "proved_optimal":
        return head + "proved optimal (every stage)"
    if achieved == "constructive":
        return head + ("the constructive start only (the search had no time left or found nothing "
                       "better; a longer --time-limit may improve it)")
    stage = next((s for s in report["stages"] if s["term"] == report.get("gap_stage")), None)
    if stage is None:
        steps = report.get("neighbourhoods") or {}
        how = f" ({steps['improved']} of {steps['steps']} small-neighbourhood steps gained)" \
            if steps.get("improved") else ""
        return head + f"improved on the constructive start by local search{how}, not proved " \
            "optimal (no bound)"
    return head + (f"improved on the constructive start, not proved optimal: stage {stage['term']} "
                   f"{stage['status']}, value {_number(stage['value'])}, "
                   f"bound {_number(stage['bound'])}, gap "
                   f"{_percent(report.get('gap'))}")


def _number(value: float | None) -> str:
    """An objective value as people read it: whole numbers in full (2052220, not 2.05222e+06)."""
    if value is None:
        return ""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.6g}"


def _print_stages(report: dict[str, Any]) -> None:
    stages = Table(title="objective, in priority order")
    for col in ("term", "status", "value", "bound", "unit"):
        stages.add_column(col)
    for s in report["stages"]:
        stages.add_row(s["term"], s["status"], _number(s["value"]), _number(s["bound"]), s["unit"])
    out.print(stages)


def _print_report(report: dict[str, Any], output: Path) -> None:
    """The plan's report for people: status, coverage, bound, gaps explained, burden, fairness."""
    cov = report["coverage"]
    out.print(_headline(report, output), highlight=False)
    against = report.get("against_current")
    if against and against["worse_than_current"]:
        out.print(f"[bold red]worse than the current rota[/] (version {against['current_version']}): "
                  f"{against['p0_peak_uncovered_minutes']} P0 peak minutes uncovered against "
                  f"{against['current_p0_peak_uncovered_minutes']}", highlight=False)
    out.print(f"P0 peak coverage {cov['p0_peak_coverage']:.2%} "
              f"({cov['p0_peak_uncovered_minutes']} of {cov['p0_peak_required_minutes']} min "
              f"uncovered, {cov['p0_peak_non_structural_uncovered_minutes']} not structural); "
              f"uncovered {report['uncovered_minutes']} min vs structural bound "
              f"{report['structural_minutes']} min", highlight=False)
    if report["stages"]:
        _print_stages(report)
    peak_gaps = [g for g in report["gaps"] if g["peak"] and not g["structural"]]
    if peak_gaps:
        proved = all(g.get("rules_forbid_more") for g in peak_gaps)
        out.print(f"{len(peak_gaps)} non-structural peak gaps: " + (
            f"the peak stage is proved optimal over {_peak_grid(report)}, so the hard rules forbid "
            "covering them (binding rules per gap in --report)" if proved else
            "not proved uncoverable (the search stopped before proving the peak stage optimal, or "
            "re-planning weighed peaks inside one coverage stage; a longer --time-limit may help)"),
            highlight=False)
        for g in peak_gaps[:10]:
            rules = ", ".join(sorted(g.get("binding_rules", {}))) or "not examined"
            out.print(f"  {g['region']} {g['severity']} {g['start']} {g['minutes']} min, "
                      f"{g['qualified']} of {g['required']} on call: {rules}", highlight=False)
    if report["binding_rules"]:
        out.print("binding rules (minutes of non-structural gaps they hold open): " + ", ".join(
            f"{k} {v}" for k, v in sorted(report["binding_rules"].items(), key=lambda kv: -kv[1])),
            highlight=False)
    from rota.render.tables import hire_lines

    for line in hire_lines(report["hire_suggestions"]):
        out.print(line, highlight=False)
    burden = Table(title="burden per engineer (hours)")
    for col in ("engineer", "on call", "working", "awake", "asleep", "night", "weekend"):
        burden.add_column(col, justify="right")
    for b in report["burden"]:
        bands = b["hours_by_band"]
        burden.add_row(b["engineer"], f"{b['on_call_hours']:g}", f"{bands['working']:g}",
                       f"{bands['awake']:g}", f"{bands['asleep']:g}", f"{b['night_hours']:g}",
                       f"{b['weekend_hours']:g}")
    out.print(burden)
    out.print("fairness (spread per 40 h capacity): " + ", ".join(
        f"{k} {v['spread']:g}" for k, v in report["fairness"].items()), highlight=False)
    if report.get("carried", {}).get("sources"):
        _print_carried(report["carried"])
        out.print(_fairness_steps(report), highlight=False)
    for forced in report.get("carried", {}).get("forced", []):
        out.print("forced: " + forced["sentence"], highlight=False)
    if "changes" in report:
        ch = report["changes"]
        out.print(f"changes vs previous: kept {ch['kept']}, removed {len(ch['removed'])}, added "
                  f"{len(ch['added'])} ({ch['changed_shift_hours']:g} of "
                  f"{ch['previous_shift_hours']:g} shift-hours changed)", highlight=False)
        for item in ch["removed"]:
            out.print(f"  - {item['engineer']} {item['start']} to {item['end']}", highlight=False)
        for item in ch["added"]:
            out.print(f"  + {item['engineer']} {item['start']} to {item['end']}", highlight=False)
