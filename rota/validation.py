"""Reading and validating scenarios: every error, each with its path, never a traceback.

Two passes: pydantic checks each field (types, unknown keys, zones, clock times), then
`_cross_checks` looks across fields (duplicate ids, unknown references, inverted or overlapping
intervals, pins outside the horizon, holiday calendars). The second pass runs on whatever parts of
the input are well-formed, so one bad engineer does not hide another's unknown region.

YAML is read as YAML 1.2 would for times: `19:00` stays the string "19:00" (PyYAML's YAML 1.1
would read it as the base-60 integer 1140). It is read with LibYAML's parser where PyYAML was built
with it (the pure-Python one is ten times slower: minutes for a document of megabytes), and with
the same resolvers and constructors either way, so both read a document alike.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import holidays
import yaml
from pydantic import BaseModel, ValidationError

from rota.errors import FieldError, ScenarioInvalid
from rota.gcpause import without_gc
from rota.limits import (
    MAX_ENGINEERS,
    MAX_LEAVE_ENTRIES,
    MAX_PEAK_WINDOWS,
    MAX_PINS,
    MAX_REGIONS,
    MAX_SCENARIO_BYTES,
)
from rota.scenario import Engineer, Horizon, Pin, Scenario, Window, clock_minutes

_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeBase):  # type: ignore[misc, valid-type]
    """SafeLoader without YAML 1.1's base-60 integers and floats (LibYAML's parser if built)."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers
          if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    """A YAML timestamp, or its text when it is no real date (`2026-13-01`), so validation can
    name the field instead of the parser failing without a line."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def decode_document(text: str, source: str = "input") -> Any:
    """Parse YAML (a superset of JSON here) with line and column in every error."""
    if len(text.encode("utf-8")) > MAX_SCENARIO_BYTES:
        raise ScenarioInvalid([FieldError("", f"{source} is larger than {MAX_SCENARIO_BYTES} bytes")])
    stripped = text.lstrip()
    if stripped.startswith("{") or stripped.startswith("["):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            where = f"line {exc.lineno}, column {exc.colno}"
            raise ScenarioInvalid([FieldError(where, f"invalid JSON: {exc.msg}")]) from None
        except RecursionError:
            raise ScenarioInvalid([FieldError("", "invalid JSON: nested too deeply")]) from None
    try:
        return _bounded(yaml.load(text, Loader=_Loader))  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ScenarioInvalid([FieldError(where, f"invalid YAML: {exc.problem or exc}")]) from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        raise ScenarioInvalid([FieldError("", f"invalid YAML: {exc}")]) from None


MAX_DOCUMENT_NODES = 2_000_000


def _bounded(document: Any) -> Any:
    """The document, unless YAML aliases expand it past MAX_DOCUMENT_NODES values ("billion
    laughs"), which would make validation run away; counting stops at the limit."""
    count = 0
    stack = [document]
    while stack:
        value = stack.pop()
        count += 1
        if count > MAX_DOCUMENT_NODES:
            raise ScenarioInvalid([FieldError("", f"the document expands to more than {MAX_DOCUMENT_NODES:,} "
                                                  "values through YAML aliases")])
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return document


def load_scenario(path: Path) -> Scenario:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioInvalid([FieldError(str(path), "no such file")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioInvalid([FieldError(str(path), f"cannot read: {exc}")]) from None
    return without_gc(_parse_text, text, str(path))


def parse_scenario_text(text: str) -> Scenario:
    """A scenario from JSON or YAML text (read with the garbage collector paused: `rota.gcpause`)."""
    return without_gc(_parse_text, text, "input")


def _parse_text(text: str, source: str) -> Scenario:
    return parse_scenario(decode_document(text, source))


def parse_scenario(data: Any) -> Scenario:
    """A valid scenario, or `ScenarioInvalid` listing every error with its path."""
    if not isinstance(data, dict):
        raise ScenarioInvalid([FieldError("", "a scenario is a mapping of keys to values")])
    errors = _limit_checks(data)
    if errors:
        raise ScenarioInvalid(errors)
    scenario: Scenario | None = None
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        errors = pydantic_errors(exc)
    errors += _cross_checks(data, scenario)
    if errors or scenario is None:
        raise ScenarioInvalid(_unique(errors))
    return scenario


def scenario_warnings(scenario: Scenario) -> list[FieldError]:
    """What is valid but cannot be met by any rota, so that a plan covering 0% says why: a region
    no engineer serves, or one requiring more responders than engineers serve it."""
    serving = {r.id: 0 for r in scenario.regions}
    for engineer in scenario.engineers:
        for served in set(engineer.regions):
            serving[served] = serving.get(served, 0) + 1
    warnings = []
    for i, region in enumerate(scenario.regions):
        count = serving[region.id]
        if count == 0:
            warnings.append(FieldError(f"regions[{i}]", f"no engineer serves region {region.id!r}, "
                                                        "so no rota can cover its demand"))
            continue
        for name, requirement in (("peak", region.peak), ("off_peak", region.off_peak)):
            if requirement is not None and requirement.responders > count:
                warnings.append(FieldError(
                    f"regions[{i}].{name}.responders",
                    f"{requirement.responders} required, but only {count} engineer"
                    f"{'s' if count != 1 else ''} serve{'s' if count == 1 else ''} region "
                    f"{region.id!r}, so no rota can cover its {name.replace('_', '-')} demand"))
    return warnings


def pydantic_errors(exc: ValidationError) -> list[FieldError]:
    out = []
    raw = exc.errors()
    for err in raw:
        if err["type"] == "too_short" and _has_inner_error(err["loc"], raw):
            continue  # pydantic's echo of an item that failed inside this list
        path = format_path(err["loc"])
        kind = err["type"]
        if kind == "extra_forbidden":
            message = "unknown key"
        elif kind == "missing":
            message = "is required"
        else:
            message = err["msg"].removeprefix("Value error, ")
        out.append(FieldError(path, message))
    return out


def _has_inner_error(loc: tuple[int | str, ...], errors: list[Any]) -> bool:
    return any(len(e["loc"]) > len(loc) and e["loc"][: len(loc)] == loc for e in errors)


def format_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _unique(errors: list[FieldError]) -> list[FieldError]:
    return list(dict.fromkeys(errors))


def _limit_checks(data: dict[str, Any]) -> list[FieldError]:
    errors = []
    for key, limit in (("engineers", MAX_ENGINEERS), ("regions", MAX_REGIONS), ("pins", MAX_PINS)):
        items = data.get(key)
        if isinstance(items, list) and len(items) > limit:
            errors.append(FieldError(key, f"{len(items)} entries; the limit is {limit}"))
    for key, field, limit in (
        ("regions", "peak_windows", MAX_PEAK_WINDOWS),
        ("engineers", "unavailable", MAX_LEAVE_ENTRIES),
    ):
        for i, item in enumerate(_list(data.get(key))):
            inner = item.get(field) if isinstance(item, dict) else None
            if isinstance(inner, list) and len(inner) > limit:
                errors.append(FieldError(f"{key}[{i}].{field}", f"{len(inner)} entries; the limit is {limit}"))
    return errors


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _try(model: type[BaseModel], value: Any) -> Any:
    try:
        return model.model_validate(value)
    except ValidationError:
        return None


def _cross_checks(data: dict[str, Any], scenario: Scenario | None = None) -> list[FieldError]:
    """Checks across fields; `scenario` is the document already validated field by field, when it
    was valid (its engineers are then not validated a second time)."""
    errors: list[FieldError] = []
    region_ids = _ids(data, "regions", errors)
    engineer_ids = _ids(data, "engineers", errors)
    for r, raw in enumerate(_list(data.get("regions"))):
        windows = _list(raw.get("peak_windows") if isinstance(raw, dict) else None)
        parsed = [(i, w) for i, w in enumerate(_try(Window, w) for w in windows) if w is not None]
        errors += _peak_overlaps(parsed, f"regions[{r}].peak_windows")
    for i, raw in enumerate(_list(data.get("engineers"))):
        path = f"engineers[{i}]"
        for j, region in enumerate(_list(raw.get("regions") if isinstance(raw, dict) else None)):
            if isinstance(region, str) and region_ids and region not in region_ids:
                errors.append(FieldError(f"{path}.regions[{j}]", f"unknown region {region!r}"))
        country = raw.get("holiday_country") if isinstance(raw, dict) else None
        if isinstance(country, str) and (problem := _holiday_problem(country)):
            errors.append(FieldError(f"{path}.holiday_country", problem))
        engineer = scenario.engineers[i] if scenario is not None else _try(Engineer, raw)
        if engineer is not None:
            errors += _engineer_checks(engineer, path)
    hiring = data.get("hiring")
    for i, raw in enumerate(_list(hiring.get("candidates") if isinstance(hiring, dict) else None)):
        country = raw.get("holiday_country") if isinstance(raw, dict) else None
        if isinstance(country, str) and (problem := _holiday_problem(country)):
            errors.append(FieldError(f"hiring.candidates[{i}].holiday_country", problem))
    horizon = _try(Horizon, data.get("horizon"))
    pins = [(i, _try(Pin, raw)) for i, raw in enumerate(_list(data.get("pins")))]
    errors += _pin_checks([(i, p) for i, p in pins if p is not None], engineer_ids, horizon)
    from rota.pay import pay_checks  # after scenario: pay imports it

    errors += pay_checks(data.get("pay"), _list(data.get("engineers")))
    return errors


WEEK_MINUTES = 7 * 1440


def _week_spans(window: Window) -> list[tuple[int, int]]:
    """Minutes of the week (Monday 00:00 = 0) a local window covers; one past midnight belongs to
    its start day, and one past Sunday midnight wraps to Monday."""
    start, end = clock_minutes(window.start), clock_minutes(window.end)
    length = end - start if end > start else end + 1440 - start
    spans = []
    for day in sorted(window.weekdays):
        lo = day * 1440 + start
        hi = lo + length
        spans.append((lo, min(hi, WEEK_MINUTES)))
        if hi > WEEK_MINUTES:
            spans.append((0, hi - WEEK_MINUTES))
    return spans


def _peak_overlaps(windows: list[tuple[int, Window]], path: str) -> list[FieldError]:
    """One error per pair of a region's (well-formed) peak windows that share a local minute
    (DESIGN.md refuses overlapping intervals), naming both by their index."""
    errors = []
    spans = [(i, _week_spans(w)) for i, w in windows]
    for n, (j, later) in enumerate(spans):
        for i, earlier in spans[:n]:
            if any(a < d and c < b for a, b in earlier for c, d in later):
                errors.append(FieldError(f"{path}[{j}]", f"overlaps {path}[{i}]"))
    return errors


def _ids(data: dict[str, Any], key: str, errors: list[FieldError]) -> set[str]:
    seen: dict[str, int] = {}
    for i, raw in enumerate(_list(data.get(key))):
        ident = raw.get("id") if isinstance(raw, dict) else None
        if not isinstance(ident, str):
            continue
        if ident in seen:
            errors.append(FieldError(f"{key}[{i}].id", f"duplicate id {ident!r} (first at {key}[{seen[ident]}])"))
        else:
            seen[ident] = i
    return set(seen)


def _engineer_checks(engineer: Engineer, path: str) -> list[FieldError]:
    from rota.availability import leave_edge  # the time engine, imported late: it imports scenario

    errors: list[FieldError] = []
    spans = []
    zone_name = engineer.timezone
    for j, leave in enumerate(engineer.unavailable):
        span = (leave_edge(leave.start, zone_name, "start"), leave_edge(leave.end, zone_name, "end"))
        if span[1] <= span[0] or _dates_inverted(leave.start, leave.end):
            errors.append(FieldError(f"{path}.unavailable[{j}].end", "ends before it starts"))
            continue
        spans.append((span, j))
    spans.sort()
    for (a, i), (b, j) in zip(spans, spans[1:], strict=False):
        if b[0] < a[1]:
            errors.append(FieldError(f"{path}.unavailable[{j}]", f"overlaps unavailable[{i}]"))
    return errors


def _dates_inverted(start: dt.date, end: dt.date) -> bool:
    """Two local dates with `end` not after `start` (instants are compared as spans)."""
    both_dates = not isinstance(start, dt.datetime) and not isinstance(end, dt.datetime)
    return both_dates and end <= start


def _holiday_problem(code: str) -> str | None:
    country, _, subdiv = code.partition("-")
    supported = holidays.list_supported_countries()
    if country not in supported:
        return f"no public-holiday calendar for country {country!r}"
    if subdiv and subdiv not in supported[country]:
        return f"{country} has no subdivision {subdiv!r} (known: {', '.join(supported[country][:12])}...)"
    return None


def _pin_checks(
    pins: list[tuple[int, Pin]], engineer_ids: set[str], horizon: Horizon | None
) -> list[FieldError]:
    errors: list[FieldError] = []
    for i, pin in pins:
        path = f"pins[{i}]"
        if engineer_ids and pin.engineer not in engineer_ids:
            errors.append(FieldError(f"{path}.engineer", f"unknown engineer {pin.engineer!r}"))
        if pin.end <= pin.start:
            errors.append(FieldError(f"{path}.end", "ends before it starts"))
        elif horizon and (pin.start < horizon.start_at or pin.end > horizon.end_at):
            errors.append(FieldError(path, "lies outside the horizon"))
    ordered = sorted((p.engineer, p.start, p.end, i) for i, p in pins if p.end > p.start)
    for a, b in zip(ordered, ordered[1:], strict=False):
        if a[0] == b[0] and b[1] < a[2]:
            errors.append(FieldError(f"pins[{b[3]}]", f"overlaps pins[{a[3]}] of the same engineer"))
    return errors
