"""The `/oncall` Slack slash command: request signatures and the answer in Slack's format.

A request is genuine when `X-Slack-Signature` is `v0=` + HMAC-SHA256(signing secret,
`v0:{X-Slack-Request-Timestamp}:{raw body}`) and the timestamp is within five minutes of the
server's clock (either way), which stops replays.

Command text: `[team] [region] [severity]`, words in any order after the team. The team is the
first word when it names a stored team; otherwise `ROTA_SLACK_TEAM`; otherwise the only team in
the store. A word that is neither a region of the team nor a severity (P0..P3) is answered with
usage help, privately (`ephemeral`); answers about coverage go to the channel (`in_channel`).

Everything echoed into a message (names, contacts, the words typed) is escaped for Slack's mrkdwn
(`&`, `<`, `>`), so a stored name like `<!channel>` cannot ping a channel; only a well-formed
member id becomes a mention.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import Any

from rota.scenario import SEVERITIES, Scenario, Severity
from rota_api.problems import Unauthenticated

MAX_AGE_SECONDS = 300
_MEMBER_ID = re.compile(r"^[UW][A-Z0-9]{2,20}$")


def escape(text: object) -> str:
    """Text for Slack's mrkdwn: the three characters Slack asks to escape, escaped."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def verify_signature(secret: str, timestamp: str | None, body: bytes, signature: str | None,
                     now: float) -> None:
    """Raise `Unauthenticated` unless the request is signed with `secret` and fresh."""
    if not timestamp or not signature:
        raise Unauthenticated("missing X-Slack-Signature or X-Slack-Request-Timestamp")
    try:
        sent = int(timestamp)
    except ValueError:
        raise Unauthenticated("X-Slack-Request-Timestamp is not a number") from None
    if abs(now - sent) > MAX_AGE_SECONDS:
        raise Unauthenticated("the Slack request is older than five minutes")
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise Unauthenticated("the Slack signature does not match")


@dataclass(frozen=True)
class Command:
    team: str | None
    region: str | None
    severity: Severity | None
    problem: str | None = None


def parse_command(text: str, teams: list[str], default_team: str | None) -> tuple[str | None,
                                                                                   list[str]]:
    """The team the command asks about and the remaining words."""
    words = text.split()
    if words and words[0] in teams:
        return words[0], words[1:]
    if default_team:
        return default_team, words
    return (teams[0] if len(teams) == 1 else None), words


def read_words(words: list[str], scenario: Scenario) -> Command:
    region: str | None = None
    severity: Severity | None = None
    for word in words:
        upper = word.upper()
        if upper in SEVERITIES:
            severity = upper  # type: ignore[assignment]
        elif word.lower() in scenario.region_by_id:
            region = word.lower()
        else:
            known = ", ".join(sorted(scenario.region_by_id))
            return Command(scenario.team, None, None,
                           f"`{escape(word[:40])}` is neither a region of {scenario.team} "
                           f"({escape(known)}) nor a severity (P0-P3).")
    return Command(scenario.team, region, severity)


def usage(problem: str) -> dict[str, Any]:
    return {"response_type": "ephemeral",
            "text": f"{problem}\nUsage: `/oncall [team] [region] [severity]`"}


def message(answer: dict[str, Any]) -> dict[str, Any]:
    """Slack blocks for a `now` answer: per region, responders or the gap and the fallback."""
    blocks: list[dict[str, Any]] = [{
        "type": "header",
        "text": {"type": "plain_text", "text": f"On call for {answer['team']} at {answer['at']}"},
    }]
    lines = []
    if answer.get("outside_horizon"):
        horizon = answer["horizon"]
        text = (f"Outside the rota's horizon ({horizon['start']} to {horizon['end']}): "
                "nothing is known at this instant.")
        lines.append(text)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text}})
    for region in answer["regions"]:
        text = _region_text(region)
        lines.append(text.split("\n")[0])
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text}})
    blocks.append({"type": "context", "elements": [
        {"type": "mrkdwn", "text": f"rota version {answer['rota_version']}"}]})
    return {"response_type": "in_channel", "text": "\n".join(lines), "blocks": blocks}


def _region_text(region: dict[str, Any]) -> str:
    head = (f"*{escape(region['region'])}* ({region['severity']}, target "
            f"{region['target_minutes']} min, "
            f"{region['required']} needed): ")
    gap = region["gap"]
    if region["covered"]:
        head += "covered"
    else:
        until = f" until {gap['end']}" if gap else ""
        cause = f" ({gap['cause'].replace('_', ' ')})" if gap else ""
        head += f"*GAP*{cause}{until}"
    lines = [head] + [f"• {_person(p)}" for p in region["responders"]]
    if not region["responders"]:
        lines.append("• nobody on call")
    if not region["covered"] and region["fallback"]:
        lines.append("Fallback (not on call, fastest first):")
        lines += [f"• {_person(p)}" for p in region["fallback"]]
    return "\n".join(lines)


def _person(person: dict[str, Any]) -> str:
    contact = person.get("contact") or {}
    reach = []
    slack = contact.get("slack")
    if slack:
        reach.append(f"<@{slack}>" if _MEMBER_ID.match(str(slack)) else escape(slack))
    if contact.get("phone"):
        reach.append(escape(contact["phone"]))
    if contact.get("email"):
        reach.append(escape(contact["email"]))
    until = f", on call until {person['on_call_until']}" if person.get("on_call_until") else ""
    mark = "" if person["meets_target"] else " (slower than the target)"
    return (f"{escape(person['name'])}: {person['local_time']} {person['timezone']}, "
            f"{person['band']}, "
            f"~{person['response_minutes']} min{mark}{until}"
            + (f" - {' '.join(reach)}" if reach else ""))
