"""Thai working days and the rule of receipt, as pure functions (no database, no Flask).

The rules (documented in the README, "Working-day deadlines"):

- A **working day** is Monday to Friday, except the holidays of the calendar (Thai government
  holidays, substitution days and special days off). Asia/Bangkok has no daylight saving time:
  every day is 24 hours, UTC+7.
- **Office hours** are 08:30–16:30 Bangkok time. An idea submitted on a working day before
  16:30 is received that day (before 08:30 it waits for the office to open, the same day); one
  submitted at 16:30 or later, or on a weekend or holiday, is received on the next working day
  (the e-Government rule OPDC quotes).
- An area promising an answer within N working days owes it by the **end of the N-th working
  day after the day of receipt** (the day of receipt itself does not count). The answer is on
  time when it is written before midnight (Bangkok) ending that day.

Counting is done by numpy's business-day functions over one `busdaycalendar`.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import numpy as np

from idea4gov.timeutil import BANGKOK, to_bangkok

#: Government office hours, Bangkok time.
OFFICE_OPENS = time(8, 30)
OFFICE_CLOSES = time(16, 30)
_WEEKMASK = "1111100"


def _day(value: np.datetime64) -> date:
    return value.astype("datetime64[D]").item()


@dataclass(frozen=True)
class WorkingCalendar:
    """Working days given a set of holidays (weekend holidays may be listed; they change nothing)."""

    holidays: frozenset[date] = frozenset()
    _cal: np.busdaycalendar = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        days = sorted(self.holidays)
        object.__setattr__(self, "_cal", np.busdaycalendar(
            weekmask=_WEEKMASK, holidays=np.array(days, dtype="datetime64[D]")))

    @classmethod
    def from_days(cls, days: Iterable[date]) -> "WorkingCalendar":
        return cls(frozenset(days))

    def is_working_day(self, day: date) -> bool:
        return bool(np.is_busday(np.datetime64(day, "D"), busdaycal=self._cal))

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        return _day(np.busday_offset(np.datetime64(day, "D"), 1, roll="backward", busdaycal=self._cal))

    def add_working_days(self, day: date, count: int) -> date:
        """The `count`-th working day after `day` (`day` itself rolls forward to a working day first)."""
        return _day(np.busday_offset(np.datetime64(day, "D"), count, roll="forward", busdaycal=self._cal))

    def working_days_between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end (0 when end is not after start)."""
        if end <= start:
            return 0
        return int(np.busday_count(np.datetime64(start + timedelta(days=1), "D"),
                                   np.datetime64(end + timedelta(days=1), "D"), busdaycal=self._cal))

    def received_day(self, moment: datetime) -> date:
        """The working day on which something submitted at `moment` counts as received."""
        local = to_bangkok(moment)
        day = local.date()
        if self.is_working_day(day) and local.time() < OFFICE_CLOSES:
            return day
        return self.next_working_day(day)

    def due_day(self, submitted: datetime, days: int) -> date:
        """The last day on which the first answer is on time."""
        return self.add_working_days(self.received_day(submitted), days)

    def due_at(self, submitted: datetime, days: int) -> datetime:
        """The moment (UTC) from which an unanswered idea is overdue: the end of the due day."""
        return _bangkok_midnight(self.due_day(submitted, days) + timedelta(days=1))

    def answered_on_time(self, submitted: datetime, answered: datetime, days: int) -> bool:
        return to_bangkok(answered).date() <= self.due_day(submitted, days)

    def working_days_to_answer(self, submitted: datetime, answered: datetime) -> int:
        """Working days from the day of receipt to the day of the answer (0: answered that day)."""
        return self.working_days_between(self.received_day(submitted), to_bangkok(answered).date())

    def overdue_cutoff(self, now: datetime, days: int) -> datetime:
        """Unanswered ideas submitted before this moment (UTC) are overdue at `now`.

        An idea is overdue once its due day is over, i.e. its due day is before today; the
        latest day of receipt for which that holds is `days` working days before the last
        working day before today, and anything submitted before that day's office close was
        received on or before it.
        """
        today = to_bangkok(now).date()
        last_before_today = _day(np.busday_offset(np.datetime64(today, "D"), -1, roll="forward",
                                                  busdaycal=self._cal))
        latest_receipt = _day(np.busday_offset(np.datetime64(last_before_today, "D"), -days,
                                               roll="forward", busdaycal=self._cal))
        return datetime.combine(latest_receipt, OFFICE_CLOSES, tzinfo=BANGKOK).astimezone(UTC)


    def answer_timing(self, submitted: Sequence[datetime], answered: Sequence[datetime | None],
                      days: Sequence[int], now: datetime) -> AnswerTiming:
        """The rules above for many ideas at once (results of a fiscal year): the same
        answers as `received_day`, `due_day` and `working_days_to_answer`, idea by idea."""
        count = len(submitted)
        if count == 0:
            empty = np.zeros(0, dtype=bool)
            return AnswerTiming(empty, empty, np.zeros(0, dtype=int))
        local = [to_bangkok(moment) for moment in submitted]
        day = np.array([moment.date() for moment in local], dtype="datetime64[D]")
        in_hours = np.array([moment.time() < OFFICE_CLOSES for moment in local])
        next_day = np.busday_offset(day, 1, roll="backward", busdaycal=self._cal)
        received = np.where(np.is_busday(day, busdaycal=self._cal) & in_hours, day, next_day)
        due = np.busday_offset(received, np.asarray(days, dtype=int), roll="forward", busdaycal=self._cal)
        was_answered = np.array([moment is not None for moment in answered])
        answer_day = np.array([to_bangkok(moment).date() if moment is not None else None
                               for moment in answered], dtype="datetime64[D]")
        answer_day = np.where(was_answered, answer_day, received)
        delays = np.maximum(np.busday_count(received + 1, answer_day + 1, busdaycal=self._cal), 0)
        today = np.datetime64(to_bangkok(now).date(), "D")
        return AnswerTiming(
            counted=was_answered | (due < today),
            on_time=was_answered & (answer_day <= due),
            delays=np.where(was_answered, delays, -1),
        )


@dataclass(frozen=True)
class AnswerTiming:
    #: The idea counts for "answered on time": it was answered, or its due day is over.
    counted: np.ndarray
    #: It was answered by the end of its due day.
    on_time: np.ndarray
    #: Working days from receipt to the first answer; -1 while unanswered.
    delays: np.ndarray


def _bangkok_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=BANGKOK).astimezone(UTC)
