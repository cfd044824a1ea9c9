"""Draw `handdrawn-weekly.json`: the rota the streaming-sre team keeps in a spreadsheet today.

Each office runs its own weekly 24/7 primary rotation, handing over on Monday at 09:00 office
time, so nine engineers are always on call, one per office. The sheet below is that spreadsheet:
one row per office, one column per week. It was drawn without the peak hours, the skills or the
leave calendar in view; the one fix anyone made is Sydney's swap for James Walker's holiday.

Run from the repository root: `python data/example/draw_handdrawn.py`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rota.rotafile import Override, Rota, Shift
from rota.validation import load_scenario
from rota.zones import to_utc

HERE = Path(__file__).parent
WEEKS = [dt.date(2026, 11, 30) + dt.timedelta(weeks=k) for k in range(7)]  # Monday handovers
HANDOVER = dt.time(9, 0)

# Office zone -> who is on call in the week starting each Monday of WEEKS[:-1]. The last week
# starts after the horizon ends except in Sydney, whose Monday 09:00 is Sunday 22:00 UTC.
SHEET: dict[str, list[str]] = {
    "Asia/Shanghai": ["liu-yang", "li-wei", "zhang-min", "wang-fang", "chen-jie", "liu-yang"],
    "Asia/Singapore": ["lim-hui-shan", "tan-wei-ming", "nur-aisyah", "rajesh-pillai", "lim-hui-shan",
                       "tan-wei-ming"],
    "Asia/Kolkata": ["sneha-iyer", "arjun-mehta", "priya-raghavan", "vikram-nair", "farhan-qureshi",
                     "sneha-iyer"],
    "Europe/Berlin": ["karim-mansour", "lena-fischer", "jonas-becker", "aylin-demir", "mateusz-nowak",
                      "karim-mansour"],
    "Europe/London": ["daniel-okafor", "oliver-hughes", "amira-haddad", "hannah-clarke", "rohan-gupta",
                      "daniel-okafor"],
    "America/Sao_Paulo": ["thiago-pereira", "ana-souza", "rafael-oliveira", "camila-santos",
                          "thiago-pereira", "ana-souza"],
    "America/New_York": ["david-cohen", "michael-chen", "sofia-ramirez", "jessica-brooks",
                         "david-cohen", "michael-chen"],
    "America/Los_Angeles": ["carlos-mendoza", "kevin-nguyen", "emily-zhao", "carlos-mendoza",
                            "kevin-nguyen", "emily-zhao"],
    "Australia/Sydney": ["priyanka-sharma", "james-walker", "mei-lin", "priyanka-sharma",
                         "james-walker", "mei-lin"],
}


def handover(day: dt.date, zone_name: str) -> dt.datetime:
    return to_utc(dt.datetime.combine(day, HANDOVER), zone_name, "start")


def draw() -> Rota:
    scenario = load_scenario(HERE / "streaming-sre.yaml")
    lo, hi = scenario.horizon.start_at, scenario.horizon.end_at
    shifts = []
    for zone_name, column in SHEET.items():
        for k, engineer in enumerate(column):
            start = max(handover(WEEKS[k], zone_name), lo)
            end = min(handover(WEEKS[k + 1], zone_name), hi)
            if start < end:
                shifts.append(Shift(engineer=engineer, start=start, end=end))
    swap = Override(
        id="ovr-1",
        engineer="mei-lin",
        replaces="james-walker",
        start=handover(WEEKS[4], "Australia/Sydney"),
        end=handover(WEEKS[5], "Australia/Sydney"),
        reason="James on summer holiday; Mei takes his week",
    )
    shifts.sort(key=lambda s: (s.start, s.engineer))
    return Rota(team=scenario.team, version=1, horizon=scenario.horizon,
                shifts=tuple(shifts), overrides=(swap,))


if __name__ == "__main__":
    from rota.rotafile import write_rota_json

    write_rota_json(draw(), HERE / "handdrawn-weekly.json")
