"""The process contract and the clock.

A process is one mechanism of the model (demography, needs, the access team, ...). Each
declares what it owns and has one life cycle, so the model can be read and extended process by
process (Starsim's modules are the pattern):

* ``person_fields`` / ``household_fields``: the per-person and per-household arrays it owns in
  the population store (only it writes them);
* ``section``: the scenario section with its parameters, read as ``self.params``;
* ``results``: the outputs it records (names in ``outputs.py``);
* ``in_warm_up``: whether it steps during the warm-up;
* ``init`` (all processes exist, before the warm-up), ``start`` (after the warm-up, before the
  first month), ``step`` (each month) and ``finalize`` (after the last month).

The model's ``PROCESSES`` list (``model.py``) is the one place that orders them: it registers
their fields, runs the warm-up and the months in that order. What crosses processes goes
through explicit calls (``needs.set_status``, ``informal_care.release``, ...) or the money
ledger (``ledger.py``); a process never assigns another's attributes, and the output recorder
only records. ``docs/architecture.md`` explains how to add one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from .model import SocialDomainModel
    from .population import Field


class Clock:
    """The model's one clock, in months.

    ``month`` counts steps from the start (negative during the warm-up); ``now`` is the absolute
    month (year * 12 + month0) of the coming step, which ages and calendar rules use; ``date``
    is the month events are dated with. They differ only in the warm-up: ages stay at the start
    while problems, requests and care relations are dated in the months before it (so queues
    keep their order and durations their length)."""

    def __init__(self, start: int, month: int = 0):
        self.start = start  # absolute month of the first step (January of run.start_year)
        self.month = month

    @property
    def warm_up(self) -> bool:
        return self.month < 0

    @property
    def now(self) -> int:
        return self.start + max(self.month, 0)

    @property
    def date(self) -> int:
        return self.start + self.month

    @property
    def year(self) -> int:
        return self.now // 12

    def advance(self) -> None:
        self.month += 1

    def __repr__(self) -> str:
        return f"Clock({self.now // 12}-{self.now % 12 + 1:02d}, month {self.month})"


class Process:
    """Base of every process: see the module docstring for the contract."""

    name: ClassVar[str]  # the model's attribute for it (``model.needs``)
    section: ClassVar[str | None] = None
    person_fields: ClassVar[dict[str, "Field"]] = {}
    household_fields: ClassVar[dict[str, "Field"]] = {}
    results: ClassVar[tuple[str, ...]] = ()
    in_warm_up: ClassVar[bool] = True

    def __init__(self, model: "SocialDomainModel"):
        self.model = model
        self.pop = model.population

    @property
    def params(self) -> Any:
        """This process's scenario section as it is now (a policy can replace it)."""
        return getattr(self.model.config, self.section)

    def init(self, clock: Clock) -> None:
        """Once, after every process exists and before the warm-up."""

    def start(self, clock: Clock) -> None:
        """Once, after the warm-up and before the first month."""

    def step(self, clock: Clock) -> None:
        """One month."""

    def finalize(self, clock: Clock) -> None:
        """Once, after the last month."""
