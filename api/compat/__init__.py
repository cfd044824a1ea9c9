"""Vendor-compatible read APIs: PagerDuty REST v2 (`/pagerduty`) and Opsgenie (`/opsgenie`).

Each vendor has its own module that maps the core's answers (on-call entries by level, `now`'s
order, the gap report's coverage) to the vendor's shapes and errors, and holds no domain logic.
`directory` is what they share: which teams a token sees, each team's current state, its entries.
"""
