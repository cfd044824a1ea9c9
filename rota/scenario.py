"""The scenario: one team's engineers, regions, rules and horizon, exactly as DESIGN.md's file.

Pydantic models with unknown keys refused. Per-field checks (time zones, clock times, day names)
live here; checks across fields (ids, references, overlaps, limits) live in `rota.validation`, which
also turns pydantic's errors into paths like `engineers[3].timezone`. Models are frozen: the core
treats a scenario as a value.

Times in the file are local ("HH:MM" in the owner's zone) or UTC instants with an explicit offset;
a naive date-time is refused rather than guessed. Every date and instant lies in the years
`EARLIEST_YEAR`..`LATEST_YEAR` (1970-2199), so arithmetic a few weeks either side of any of them
(zones, padding, side indexes) stays far from `datetime`'s ends.

Free text (names, reasons) is one line of printable text: control characters (NUL, CR, LF, ...)
are refused, so nothing stored can break a feed, a header, a log line or PostgreSQL's text. Numbers
are finite and within documented magnitudes. Contacts are checked for their form: an e-mail
address, a Slack member id (`U...` or `W...`), a phone number.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cached_property
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

from rota.limits import EARLIEST_YEAR, LATEST_YEAR, MAX_REVENUE_PER_USER_HOUR, MAX_USERS
from rota.zones import check_zone

Severity = Literal["P0", "P1", "P2", "P3"]
SEVERITIES: tuple[Severity, ...] = ("P0", "P1", "P2", "P3")
Band = Literal["working", "awake", "asleep"]
BANDS: tuple[Band, ...] = ("working", "awake", "asleep")
DayName = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAY_NAMES: tuple[DayName, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

DEFAULT_SEVERITIES: dict[Severity, int] = {"P0": 15, "P1": 30, "P2": 120, "P3": 240}
DEFAULT_RESPONSE: dict[Band, int] = {"working": 5, "awake": 15, "asleep": 60}

_CLOCK = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_SLACK = re.compile(r"^[UW][A-Z0-9]{2,20}$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ().-]{2,30}$")
_TEAM_ID = r"^[a-z0-9][a-z0-9-]*$"
_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"


def _clock(value: object) -> str:
    if not isinstance(value, str) or not _CLOCK.match(value):
        raise ValueError(f'expected a local time "HH:MM" (00:00 to 24:00), got {value!r}')
    hours, minutes = int(value[:2]), int(value[3:])
    if hours == 24 and minutes != 0:
        raise ValueError(f"{value!r} is past 24:00")
    if minutes % 15:
        raise ValueError(f"{value!r} is not on the quarter hour (minutes 00, 15, 30 or 45)")
    return value


def plain_text(value: str) -> str:
    """One line of text: no control characters (they would reach feeds, headers and logs)."""
    found = _CONTROL.search(value)
    if found:
        raise ValueError(f"contains the control character U+{ord(found.group()):04X}; "
                         f"write one line of plain text")
    return value


def in_years(value: dt.date) -> dt.date:
    """A date or instant within the years this engine reasons about."""
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"{value.isoformat()} is not between the years {EARLIEST_YEAR} and "
                         f"{LATEST_YEAR}")
    return value


def _matching(pattern: re.Pattern[str], what: str) -> AfterValidator:
    def check(value: str) -> str:
        if not pattern.match(value):
            raise ValueError(f"{plain_text(value)!r} is not {what}")
        return value

    return AfterValidator(check)


def _day_name(value: object) -> str:
    """A day name in any case (`Mon`, `MON`), as `mon`; anything else is echoed back."""
    if isinstance(value, str) and value.strip().lower() in DAY_NAMES:
        return value.strip().lower()
    raise ValueError(f"{value!r} is not a day; use mon..sun")


def _utc_instant(value: object) -> dt.datetime:
    """A date-time with an explicit offset, returned in UTC; naive ones are refused."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"expected an ISO 8601 date-time with Z or an offset, got {value!r}") from None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"{value.isoformat()} has no offset; write it in UTC with a Z")
        try:
            utc = value if value.tzinfo is dt.UTC else value.astimezone(dt.UTC)
        except OverflowError:
            raise ValueError(f"{value.isoformat()} is out of range") from None
        in_years(utc)
        return utc
    raise ValueError(f"expected an ISO 8601 date-time with Z or an offset, got {value!r}")


def _date_or_instant(value: object) -> dt.date | dt.datetime:
    """A local date (`2026-12-24`) or a UTC instant (`2026-12-24T08:00:00Z`)."""
    if isinstance(value, dt.datetime):
        return _utc_instant(value)
    if isinstance(value, dt.date):
        return in_years(value)
    if isinstance(value, str) and len(value) == 10:
        try:
            return in_years(dt.date.fromisoformat(value))
        except ValueError as exc:
            if "between the years" in str(exc):
                raise
            raise ValueError(f"expected a date YYYY-MM-DD or a UTC date-time, got {value!r}") from None
    try:
        return _utc_instant(value)
    except ValueError as exc:
        if "no offset" in str(exc):
            raise
        raise ValueError(f"expected a date YYYY-MM-DD or a date-time with Z or an offset, "
                         f"got {value!r}") from None


Clock = Annotated[str, BeforeValidator(_clock)]
Day = Annotated[DayName, BeforeValidator(_day_name)]
UtcInstant = Annotated[dt.datetime, BeforeValidator(_utc_instant)]
DateOrInstant = Annotated[dt.date | dt.datetime, BeforeValidator(_date_or_instant)]
ZoneName = Annotated[str, AfterValidator(check_zone)]
EntityId = Annotated[str, Field(pattern=_ID, max_length=64)]
PlainText = Annotated[str, AfterValidator(plain_text)]
Email = Annotated[str, Field(max_length=254), _matching(_EMAIL, "an e-mail address")]
SlackId = Annotated[str, _matching(_SLACK, "a Slack member id (U or W and 2-20 capitals or "
                                           "digits, e.g. U012AB3CD)")]
Phone = Annotated[str, _matching(_PHONE, "a phone number (digits, spaces, ( ) . - and a "
                                          "leading +)")]


def clock_minutes(value: str) -> int:
    """Minutes after local midnight of a validated "HH:MM" ("24:00" is 1440)."""
    return int(value[:2]) * 60 + int(value[3:])


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Horizon(Model):
    """`days` days from UTC midnight of `start`."""

    start: Annotated[dt.date, AfterValidator(in_years)]
    days: int = Field(ge=1, le=366)

    @model_validator(mode="after")
    def _ends_in_range(self) -> Horizon:
        last = self.start + dt.timedelta(days=self.days - 1)
        if last.year > LATEST_YEAR:
            raise ValueError(f"the horizon's last day {last.isoformat()} is after the year "
                             f"{LATEST_YEAR}")
        return self

    @property
    def start_at(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time(), tzinfo=dt.UTC)

    @property
    def end_at(self) -> dt.datetime:
        return self.start_at + dt.timedelta(days=self.days)


class Window(Model):
    """A local weekly window; `end <= start` runs past midnight and belongs to its start day."""

    days: tuple[Day, ...] | None = None
    start: Clock
    end: Clock

    @model_validator(mode="after")
    def _start_not_24(self) -> Window:
        if self.start == "24:00":
            raise ValueError('start cannot be "24:00"; use "00:00"')
        return self

    @property
    def weekdays(self) -> frozenset[int]:
        """ISO weekday indexes 0=Monday..6=Sunday the window starts on."""
        if self.days is None:
            return frozenset(range(7))
        return frozenset(DAY_NAMES.index(d) for d in self.days)


class DailyWindow(Model):
    """A window that applies every day (the sleep window)."""

    start: Clock
    end: Clock


class Requirement(Model):
    severity: Severity = "P0"
    responders: int = Field(default=1, ge=1, le=50)


class ResponseOverrides(Model):
    working: int | None = Field(default=None, ge=0, le=10_000)
    awake: int | None = Field(default=None, ge=0, le=10_000)
    asleep: int | None = Field(default=None, ge=0, le=10_000)


class Severities(Model):
    P0: int = Field(default=15, ge=1, le=100_000)
    P1: int = Field(default=30, ge=1, le=100_000)
    P2: int = Field(default=120, ge=1, le=100_000)
    P3: int = Field(default=240, ge=1, le=100_000)

    def target(self, severity: Severity) -> int:
        return int(getattr(self, severity))


class ResponseMinutes(Model):
    working: int = Field(default=5, ge=0, le=10_000)
    awake: int = Field(default=15, ge=0, le=10_000)
    asleep: int = Field(default=60, ge=0, le=10_000)


class ShiftHours(Model):
    min: float = Field(default=4, gt=0, le=24)
    max: float = Field(default=10, gt=0, le=24)

    @model_validator(mode="after")
    def _ordered(self) -> ShiftHours:
        if self.min > self.max:
            raise ValueError(f"min ({self.min:g}) is greater than max ({self.max:g})")
        for name in ("min", "max"):
            if (getattr(self, name) * 60) % 15:
                raise ValueError(f"{name} must be a whole number of quarter hours")
        return self


class Rules(Model):
    shift_hours: ShiftHours = ShiftHours()
    shift_start_step_minutes: Literal[15, 30, 60] = 60
    min_rest_hours: float = Field(default=11, ge=0, le=168)
    max_hours_per_week: float = Field(default=40, gt=0, le=168)
    max_consecutive_days: int = Field(default=5, ge=1, le=366)
    work_on_public_holidays: bool = False


class Region(Model):
    id: EntityId
    name: PlainText | None = Field(default=None, max_length=200)
    timezone: ZoneName
    peak_windows: tuple[Window, ...] = Field(default=(), max_length=50)
    peak: Requirement = Requirement()
    off_peak: Requirement | None = None
    users_at_peak: float | None = Field(default=None, ge=0, le=MAX_USERS)
    users_off_peak: float | None = Field(default=None, ge=0, le=MAX_USERS)
    revenue_per_user_hour: float | None = Field(default=None, ge=0, le=MAX_REVENUE_PER_USER_HOUR)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")

    @property
    def label(self) -> str:
        return self.name or self.id


class Leave(Model):
    """Local dates (end exclusive) in the engineer's zone, or UTC instants."""

    start: DateOrInstant
    end: DateOrInstant
    reason: PlainText | None = Field(default=None, max_length=200)
    uid: PlainText | None = Field(default=None, max_length=255)  # the calendar event it was imported from


class Contact(Model):
    email: Email | None = None
    slack: SlackId | None = None
    phone: Phone | None = None


DEFAULT_WORKING_HOURS = Window(days=("mon", "tue", "wed", "thu", "fri"), start="09:00", end="18:00")
DEFAULT_SLEEP = DailyWindow(start="23:00", end="07:00")


class Engineer(Model):
    id: EntityId
    name: PlainText | None = Field(default=None, max_length=200)
    timezone: ZoneName
    regions: tuple[EntityId, ...] = Field(min_length=1, max_length=100)
    holiday_country: str | None = Field(default=None, pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
    working_hours: Window = DEFAULT_WORKING_HOURS
    sleep: DailyWindow = DEFAULT_SLEEP
    response_minutes: ResponseOverrides = ResponseOverrides()
    max_hours_per_week: float | None = Field(default=None, gt=0, le=168)
    unavailable: tuple[Leave, ...] = Field(default=(), max_length=500)
    contact: Contact = Contact()

    @property
    def label(self) -> str:
        return self.name or self.id


class HireCandidate(Model):
    """A hypothetical engineer to hire: serves every region, the team's default response minutes."""

    timezone: ZoneName
    holiday_country: str | None = Field(default=None, pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
    working_hours: Window = DEFAULT_WORKING_HOURS
    sleep: DailyWindow = DEFAULT_SLEEP


class Fairness(Model):
    """Fairness across periods: burden from published rotas in the `lookback_days` before the
    horizon counts when the planner balances burden (`rota.history`)."""

    lookback_days: int = Field(default=90, ge=0, le=366)


class Hiring(Model):
    """Where a hire could be; without candidates, the team's own office zones (`rota/hiring.py`)."""

    candidates: tuple[HireCandidate, ...] = Field(default=(), max_length=50)


PayCategory = Literal["standard", "working", "night", "weekend", "public_holiday"]
PAY_CATEGORIES: tuple[PayCategory, ...] = ("standard", "working", "night", "weekend", "public_holiday")
_CURRENCY = r"^[A-Z]{3}$"


class PayRates(Model):
    """Pay per on-call hour by category (rota.pay says which category an hour falls in); a
    category left out is paid at `standard`."""

    standard: float = Field(ge=0, le=1_000_000)
    working: float | None = Field(default=None, ge=0, le=1_000_000)
    night: float | None = Field(default=None, ge=0, le=1_000_000)
    weekend: float | None = Field(default=None, ge=0, le=1_000_000)
    public_holiday: float | None = Field(default=None, ge=0, le=1_000_000)

    def rate(self, category: PayCategory) -> float:
        value = getattr(self, category)
        return self.standard if value is None else float(value)


class PayOverride(Model):
    """Rates for some engineers (by id) or for an office (every engineer in a time zone); the
    override's table replaces the default one whole, in its own currency."""

    engineers: tuple[EntityId, ...] | None = Field(default=None, min_length=1, max_length=2_000)
    timezone: ZoneName | None = None
    currency: str | None = Field(default=None, pattern=_CURRENCY)
    rates: PayRates

    @model_validator(mode="after")
    def _one_target(self) -> PayOverride:
        if (self.engineers is None) == (self.timezone is None):
            raise ValueError("give either engineers or timezone")
        return self


class Pay(Model):
    """On-call pay: a default table and overrides; per engineer beats per office beats default."""

    currency: str = Field(pattern=_CURRENCY)
    rates: PayRates
    overrides: tuple[PayOverride, ...] = Field(default=(), max_length=2_000)


class Pin(Model):
    engineer: EntityId
    start: UtcInstant
    end: UtcInstant


class Scenario(Model):
    team: str = Field(pattern=_TEAM_ID, max_length=64)
    name: PlainText | None = Field(default=None, max_length=200)
    horizon: Horizon
    severities: Severities = Severities()
    response_minutes: ResponseMinutes = ResponseMinutes()
    rules: Rules = Rules()
    regions: tuple[Region, ...] = Field(min_length=1)
    engineers: tuple[Engineer, ...] = ()
    pins: tuple[Pin, ...] = ()
    hiring: Hiring | None = None
    pay: Pay | None = None
    fairness: Fairness = Fairness()

    @cached_property
    def region_by_id(self) -> dict[str, Region]:
        return {r.id: r for r in self.regions}

    @cached_property
    def engineer_by_id(self) -> dict[str, Engineer]:
        return {e.id: e for e in self.engineers}

    def response_minutes_of(self, engineer: Engineer) -> dict[Band, int]:
        """Response minutes per band for one engineer: team defaults and their overrides."""
        own = engineer.response_minutes
        team = self.response_minutes
        return {
            band: getattr(own, band) if getattr(own, band) is not None else getattr(team, band)
            for band in BANDS
        }

    def weekly_hours_cap(self, engineer: Engineer) -> float:
        if engineer.max_hours_per_week is not None:
            return engineer.max_hours_per_week
        return self.rules.max_hours_per_week
