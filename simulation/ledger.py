"""The money ledger: every euro the model moves, by account and area, month by month, and the
social-domain reserve and what the reserve rule moves to or from the general fund. Costs, contributions and prevention spending are posted by the
processes that cause them (``costs.py``, ``prevention.py``); the municipality settles the year
from the ledger and posts budgets, its result and the contractors' surplus (``funding.py``).
The recorder copies each month's postings into the output tables; it keeps no money itself.

Amounts are EUR, nominal, at the run's scale. An account is the name of its output column
(``cost_household_help_eur``, ...; ``outputs.py`` defines them).
"""

from __future__ import annotations

import numpy as np

from .costs import BRIDGING, COST_ACCOUNTS, SOCIETAL_ACCOUNTS

# BRIDGING are memo accounts (bridging care is part of the lines of its domains); SOCIETAL_ACCOUNTS are
# what other payers, the informal carers and those waiting bear: reported beside the municipality's books, not in them
ACCOUNTS = (*COST_ACCOUNTS, "personal_contribution_eur", "prevention_spend_eur",
            "budget_eur", "contract_sum_eur", "provider_surplus_eur", "municipal_result_eur", *BRIDGING,
            *SOCIETAL_ACCOUNTS)


class Ledger:
    """Postings by (account, area): this month's and the year's so far; the reserve."""

    def __init__(self, n_areas: int, reserve: float):
        self.n_areas = n_areas
        self.month = np.zeros((len(ACCOUNTS), n_areas))  # this month's postings
        self._year_to_date = np.zeros((len(ACCOUNTS), n_areas))  # the months of this year before this one
        self._row = {name: i for i, name in enumerate(ACCOUNTS)}
        self.reserve = reserve  # EUR now
        self.reserve_at_start: dict[int, float] = {}  # EUR on 1 January, by year
        self.general_fund: dict[int, float] = {}  # EUR the reserve rule moved to (+) or from (-) the general fund, by year

    def post(self, account: str, by_area: np.ndarray) -> None:
        """Add amounts already summed by area (one per area) to this month's account."""
        self.month[self._row[account]] += by_area

    def post_rows(self, accounts: tuple[str, ...], by_area: np.ndarray) -> None:
        """``post`` to each of ``accounts`` (distinct) its row of ``by_area``, in one addition
        (the cost lines are fifteen accounts a month)."""
        self.month[[self._row[name] for name in accounts]] += by_area

    def post_each(self, account: str, areas: np.ndarray, amount: float) -> None:
        """Add ``amount`` once for each entry of ``areas`` (e.g. one per case)."""
        if len(areas):
            self.month[self._row[account]] += np.bincount(areas, np.full(len(areas), amount), minlength=self.n_areas)

    def this_month(self, account: str) -> np.ndarray:
        return self.month[self._row[account]]

    def year_total(self, account: str) -> np.ndarray:
        """An account summed from January up to and including this month, per area."""
        return self._year_to_date[self._row[account]] + self.month[self._row[account]]

    def open_year(self, year: int) -> None:
        self.reserve_at_start[year] = self.reserve

    def change_reserve(self, amount: float) -> None:
        self.reserve += amount

    def to_general_fund(self, year: int, amount: float) -> None:
        """Move ``amount`` from the reserve to the municipality's general fund (negative: from it)."""
        self.reserve -= amount
        self.general_fund[year] = self.general_fund.get(year, 0.0) + amount

    def end_month(self, clock) -> None:
        # (added month by month, in the order a sum over the year's months would add them)
        self._year_to_date = self._year_to_date + self.month if clock.now % 12 != 11 else np.zeros_like(self.month)
        self.month = np.zeros_like(self.month)
