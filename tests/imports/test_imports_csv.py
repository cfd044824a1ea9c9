"""CSV import: `engineer,start,end[,timezone]`, offsets or a zone column, matching, bad rows."""

from __future__ import annotations

import datetime as dt

import pytest
from icsbuild import shifts_of

from rota.errors import FieldError, RotaInvalid
from rota.imports import parse_import
from rota.scenario import Horizon, Scenario

CASES = [
    ("offsets and Z",
     "engineer,start,end\n"
     "li-wei,2026-12-07T19:00:00+08:00,2026-12-08T01:00:00+08:00\n"
     "tom,2026-12-07T18:00:00Z,2026-12-07T23:00:00Z\n",
     [("li-wei", "2026-12-07T11:00Z", "2026-12-07T17:00Z"),
      ("tom", "2026-12-07T18:00Z", "2026-12-07T23:00Z")]),
    ("a timezone column for naive times, a date meaning local midnight",
     "engineer,start,end,timezone\n"
     "priya,2026-12-07 09:00,2026-12-07 17:30,Asia/Kolkata\n"
     "tom,2026-12-12,2026-12-14,Europe/London\n"
     "li-wei,2026-12-08T19:00:00+08:00,2026-12-08T23:00:00+08:00,\n",
     [("priya", "2026-12-07T03:30Z", "2026-12-07T12:00Z"),
      ("li-wei", "2026-12-08T11:00Z", "2026-12-08T15:00Z"),
      ("tom", "2026-12-12T00:00Z", "2026-12-14T00:00Z")]),
    ("engineer by id, name or e-mail in any case; header in any order with extra columns",
     "\ufeffStart , End,Engineer,Notes\n"
     "2026-12-07T10:00Z,2026-12-07T12:00Z,LI WEI,from the sheet\n"
     "2026-12-07T12:00Z,2026-12-07T14:00Z,ana.souza@EXAMPLE.com,\n"
     "\n"
     "2026-12-07T14:00Z,2026-12-07T16:00Z, priya ,\n",
     [("li-wei", "2026-12-07T10:00Z", "2026-12-07T12:00Z"),
      ("ana-souza", "2026-12-07T12:00Z", "2026-12-07T14:00Z"),
      ("priya", "2026-12-07T14:00Z", "2026-12-07T16:00Z")]),
    ("overlapping rows of one engineer merge",
     "engineer,start,end\n"
     "tom,2026-12-07T08:00Z,2026-12-07T16:00Z\n"
     "tom,2026-12-07T12:00Z,2026-12-07T20:00Z\n",
     [("tom", "2026-12-07T08:00Z", "2026-12-07T20:00Z")]),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rows_become_shifts(team: Scenario, text: str, expected: list[tuple[str, str, str]]) -> None:
    imported = parse_import(text, "csv", team)
    assert shifts_of(imported.rota) == expected
    assert imported.unmatched == ()


def test_naive_times_follow_the_dst_policy(team: Scenario) -> None:
    march = team.model_copy(update={"horizon": Horizon(start=dt.date(2026, 3, 7), days=2)})
    text = ("engineer,start,end,timezone\n"
            "tom,2026-03-08 01:00,2026-03-08 02:30,America/New_York\n")  # 02:30 does not exist
    assert shifts_of(parse_import(text, "csv", march).rota) == [
        ("tom", "2026-03-08T06:00Z", "2026-03-08T07:00Z")]


def test_rows_naming_no_engineer_are_reported_by_line(team: Scenario) -> None:
    text = ("engineer,start,end\n"
            "tom,2026-12-07T08:00Z,2026-12-07T16:00Z\n"
            "Jordan Blake,2026-12-07T16:00Z,2026-12-08T00:00Z\n"
            "tom,2026-12-08T08:00Z,2026-12-08T16:00Z\n")
    imported = parse_import(text, "csv", team)
    assert [s.engineer for s in imported.rota.shifts] == ["tom", "tom"]
    assert imported.warnings() == ["line 3: 'Jordan Blake' matches no engineer"]


MALFORMED = [
    ("empty file", "", [FieldError("line 1", "empty file; expected the header engineer,start,end")]),
    ("header without end", "engineer,start\ntom,2026-12-07T08:00Z\n",
     [FieldError("line 1", "the header lacks end; expected engineer,start,end[,timezone], "
                           "found engineer,start")]),
    ("every bad row, each by line",
     "engineer,start,end,timezone\n"
     "tom,2026-12-07T08:00Z,2026-12-07T16:00Z,\n"
     "tom,yesterday,2026-12-07T18:00Z,\n"
     "tom,2026-12-08 08:00,2026-12-08 16:00,\n"
     "tom,2026-12-09 08:00,2026-12-09 16:00,Europe/Londn\n"
     "tom,2026-12-10T16:00Z,2026-12-10T08:00Z,\n"
     "tom,2026-12-11T16:00Z\n",
     [FieldError("line 3.start", "not an ISO 8601 date-time: 'yesterday'"),
      FieldError("line 4.start", "'2026-12-08 08:00' has no offset; add one (Z, +08:00) or a "
                                 "timezone column"),
      FieldError("line 4.end", "'2026-12-08 16:00' has no offset; add one (Z, +08:00) or a "
                               "timezone column"),
      FieldError("line 5.timezone", "unknown time zone 'Europe/Londn' (did you mean "
                                    "'Europe/London'?)"),
      FieldError("line 6.end", "ends before it starts"),
      FieldError("line 7", "2 cells, the header has 4")]),
]


@pytest.mark.parametrize(("text", "errors"), [c[1:] for c in MALFORMED],
                         ids=[c[0] for c in MALFORMED])
def test_malformed_files_list_every_error_by_line(team: Scenario, text: str,
                                                  errors: list[FieldError]) -> None:
    with pytest.raises(RotaInvalid) as caught:
        parse_import(text, "csv", team)
    assert caught.value.errors == errors
