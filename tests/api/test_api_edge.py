"""The control-character check of every request (`rota_api.edge`) skips parsing a query string
that cannot hold one; it must refuse exactly what the full parse refuses."""

from __future__ import annotations

from urllib.parse import parse_qsl

from hypothesis import given, settings
from hypothesis import strategies as st

from rota_api.edge import _CONTROL, _problem

PIECES = st.sampled_from(["a", "=", "&", "+", "%", "%0", "%00", "%0a", "%1F", "%1g", "%20", "%7f",
                          "%7F", "%7e", "%80", "%C2%85", "%E2%80%A8", "%ff", "\x00", "\n", "\x7f",
                          "\x85", "é", "[]", "%5B%5D", "%25", "%2500"])


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=12).map("".join))
def test_a_query_is_refused_exactly_when_a_parsed_value_holds_a_control_character(text: str) -> None:
    raw = text.encode("latin-1", "replace") if all(ord(c) < 256 for c in text) else text.encode()
    parsed = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    expected = any(_CONTROL.search(name) or _CONTROL.search(value) for name, value in parsed)
    scope = {"path": "/v1/teams/t/now", "query_string": raw}
    assert (_problem(scope) is not None) == expected
