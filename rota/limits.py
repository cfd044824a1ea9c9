"""Documented size limits, enforced where input enters (README.md, "Limits").

They keep a request from making the analysis or the solver run away. Analysis admits a 366-day
horizon, 2,000 engineers and 100 regions; the planner has tighter limits of its own.
"""

MAX_SCENARIO_BYTES = 8 * 1024 * 1024
MAX_ROTA_BYTES = 32 * 1024 * 1024
MAX_HORIZON_DAYS = 366
MAX_ENGINEERS = 2_000
MAX_REGIONS = 100
MAX_PEAK_WINDOWS = 50
MAX_LEAVE_ENTRIES = 500
MAX_PINS = 10_000
MAX_SHIFTS = 500_000
MAX_OVERRIDES = 10_000
EARLIEST_YEAR = 1970  # every date and instant of a scenario or rota lies in these years
LATEST_YEAR = 2199
MAX_USERS = 10_000_000_000  # users of a region at or off peak (more than people on Earth)
MAX_REVENUE_PER_USER_HOUR = 1_000_000
FALLBACK_LIMIT = 5

# The planner's own limits (rota.planner): past them `plan` raises LimitExceeded rather than run away.
PLANNER_MAX_HORIZON_DAYS = 92  # one quarter per solve; plan longer horizons in parts
PLANNER_MAX_ENGINEER_DAYS = 6_000  # engineers x horizon days (the L benchmark is 150 x 28 = 4,200)
PLANNER_MAX_CANDIDATES = 400_000  # candidate shifts in one model (~60 per engineer-day)
PLANNER_CANDIDATE_WORKERS = 300_000  # candidates x CP-SAT workers: each worker copies the model (L: 2 workers)
PLANNER_MAX_MEMORY_MB = 3_000  # CP-SAT ends a solve stage with its best rota past this (RSS grows with search time)
