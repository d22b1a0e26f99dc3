"""The recorder: what the processes report each month, per area, and the yearly and monthly
tables built from it (the outputs themselves, what each column means, are defined in
``outputs.py``; this module only records and tabulates them).

Stocks are counted on the first day of the period (1 January for yearly rows, the first of the
month for monthly rows), as CBS counts residents; flows are summed over the period.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping

import numpy as np
import pandas as pd

from .dataset import MAX_AGE
from .domain import DOMAIN_INDEX, Status
from .funding import CONTRACT_DOMAINS
from .kernels import jit
from .ledger import ACCOUNTS
from .outputs import (DISTINCT, FLOWS, MONTH_MEAN_STOCKS, MONTH_MEANS, MONTHLY_STOCKS, RATIO_PARTS, TOTAL,
                      YEARLY_STOCKS, derive_counts, monthly_columns, ratio, yearly_columns)
from .population import FEMALE, NO_ID, age_at, grown


def _empty_table(columns: list[str]) -> pd.DataFrame:
    """The table with its columns and no rows (asked for before the period it covers)."""
    return pd.DataFrame({c: pd.Series(dtype=object if c in ("scenario", "area") else float) for c in columns})


class Recorder:
    """Collects per-area stocks, flows and distinct counts each month; builds the tables.

    Processes report through two calls: ``count(name, areas, weights)`` adds to a flow of the
    current month, ``mark(name, ids, areas)`` counts each person at most once per year. Money
    is not reported here: the recorder copies each month's postings from the ledger
    (``ledger.py``). Nothing reads back from the recorder but the tables: it only records."""

    def __init__(self, model):
        self.model = model
        self.pop = model.population
        self.n = model.population.n_areas
        self.monthly_stocks: list[np.ndarray] = []  # MONTHLY_STOCKS x areas, at each month start
        self.monthly_flows: list[np.ndarray] = []  # FLOWS x areas, per month
        self._flows = np.zeros((len(FLOWS), self.n))  # this month's FLOWS x areas
        self.current = dict(zip(FLOWS, self._flows))  # by name: views of its rows
        self._money_rows = [FLOWS.index(name) for name in ACCOUNTS]  # the ledger's accounts, in its order
        self.january: dict[int, dict[str, np.ndarray]] = {}
        self.last_marked: dict[str, np.ndarray] = {o.name: np.zeros(0, dtype=np.int16) for o in DISTINCT}
        self.distinct: dict[int, dict[str, np.ndarray]] = {}

    def count(self, name: str, areas: np.ndarray, weights: np.ndarray | float | None = None) -> None:
        if len(areas) == 0:  # often, and a bincount costs more than the rest of the call
            return
        if weights is not None and not isinstance(weights, np.ndarray):  # a scalar
            weights = np.full(len(areas), weights, dtype=float)
        self.current[name] += np.bincount(areas, weights, minlength=self.n)

    def add(self, name: str, by_area: np.ndarray) -> None:
        """Add amounts already summed by area (one per area) to a flow of the current month."""
        self.current[name] += by_area

    def count_by(self, names: list[str], keys: np.ndarray, areas: np.ndarray) -> None:
        """``count(names[k], areas[keys == k])`` for every k, in one pass."""
        counts = np.bincount(keys * self.n + areas, minlength=len(names) * self.n).reshape(len(names), self.n)
        for name, by_area in zip(names, counts):
            self.current[name] += by_area

    def marks(self, name: str) -> tuple[np.ndarray, np.ndarray, int]:
        """For counting persons at most once a year (kernels mark them): the year each id was
        last marked, this year's counts by area, the year."""
        year = self.model.clock.now // 12
        last = self.last_marked[name]
        if len(last) < self.pop.persons.n:
            last = self.last_marked[name] = grown(last, self.pop.persons.n, 0)
        if year not in self.distinct:
            self.distinct[year] = {o.name: np.zeros(self.n, dtype=np.int64) for o in DISTINCT}
        return last, self.distinct[year][name], year

    def end_month(self) -> None:
        """Close the month: its flows, with the money the ledger has posted."""
        self._flows[self._money_rows] = self.model.ledger.month  # (its rows are ACCOUNTS)
        self.monthly_flows.append(self._flows.copy())
        self._flows[:] = 0

    def snapshot(self, now: int) -> None:
        """Stocks at the start of absolute month ``now`` (full detail in January)."""
        p = self.pop.persons
        residents, households = self.pop.counts(now)
        queued = self.model.needs.with_status(Status.QUEUED)
        waiting = self.model.needs.with_status(Status.CUSTOM_WAIT)
        waiting_area, waiting_domain = self.pop.area_of(waiting), p.need_domain[waiting]
        contract, youth = CONTRACT_DOMAINS[waiting_domain], waiting_domain == DOMAIN_INDEX["youth_care"]
        self.monthly_stocks.append(np.vstack([residents.sum(axis=1), households,
                                              np.bincount(p.request_area[queued], minlength=self.n),
                                              np.bincount(waiting_area, minlength=self.n),
                                              np.bincount(waiting_area[contract], minlength=self.n),
                                              np.bincount(waiting_area[youth], minlength=self.n)]))
        if now % 12 == 0:
            self.january[now // 12] = self._detail(now)

    def _detail(self, now: int) -> dict[str, np.ndarray]:
        """January's detail per area: waiting weeks, residents by age group, households by type."""
        p = self.pop.persons
        residents = self.pop.residents_at(now)
        by_age = [residents[:, lo: hi + 1].sum(axis=1) for lo, hi in AGE_GROUPS]
        types = _household_types(*self.pop.living_households(now), *self.pop.household_groups(now), p.birth_month,
                                 p.partner, p.mother, p.father, now)
        weeks = _waiting_weeks(self.model.needs.with_status(Status.CUSTOM_WAIT), self.pop.areas(), p.wait_since, now,
                               self.n)
        living = self.pop.living()
        women = living[(p.sex[living] == FEMALE) & (self.pop.age_years(living, now) >= 20)]
        debt = living[self.model.needs.in_debt(living, self.model.clock.date)]
        debt_households = np.unique(p.household[debt])  # a household counts once, however many in debt
        return {"waiting_list_weeks_sum": weeks, "wlz_residents": self.model.long_term_care.residents_by_area(),
                "pop_women_20_plus": np.bincount(self.pop.area_of(women), minlength=self.n),
                "debt_households": np.bincount(self.pop.households.area[debt_households], minlength=self.n),
                **dict(zip(JANUARY_COUNTS, [*by_age, *types]))}

    # --- tables ------------------------------------------------------------------------
    # The tables are worked out as arrays shaped (periods, areas + 1), the municipality's total
    # last, and made into a table in one piece at the end: a column at a time, pandas costs tens
    # of microseconds an operation (a yearly table of a short small run cost a tenth of the run)
    # and keeps hundreds of blocks, so that every later ``assign`` warns the table is fragmented.
    def _frame(self, stocks: np.ndarray, flows: np.ndarray) -> dict[str, np.ndarray]:
        """The columns by (period, area) from arrays shaped (periods, quantity, areas)."""
        rows = {name: stocks[:-1, i] for i, name in enumerate(MONTHLY_STOCKS)}
        rows["population_end"] = stocks[1:, 0]
        rows["requests_pending_end"] = stocks[1:, 2]
        for i, f in enumerate(FLOWS):
            values = flows[:, i]
            rows[f] = values if f.endswith(("_eur", "_sum", "_fte", "_vacancies", "carer_hours")) else np.rint(values).astype(np.int64)
        return rows

    @staticmethod
    def _with_total(columns: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Each column by (period, area) with the municipality's total as its last column. Counts
        are summed exactly; amounts by pandas, as the tables always were (its sum of a group
        differs from numpy's in the last digit)."""
        periods, n = next(iter(columns.values())).shape
        amounts = [name for name, values in columns.items() if values.dtype.kind == "f"]
        summed = pd.DataFrame(np.stack([columns[name].ravel() for name in amounts], axis=1)).groupby(
            np.repeat(np.arange(periods), n)).sum().to_numpy()
        totals = {name: values.sum(axis=1) for name, values in columns.items() if values.dtype.kind != "f"}
        totals.update(zip(amounts, summed.T))
        totals["moved_in"] = totals["moved_out"] = np.zeros(periods, dtype=np.int64)  # between its areas
        out = {name: np.column_stack([values, totals[name]]) for name, values in columns.items()}
        out["net_migration"] = out["immigrants"] - out["emigrants"] + out["moved_in"] - out["moved_out"]
        return out

    def _stamp(self, columns: Mapping, names: list[str], index: dict[str, np.ndarray]) -> pd.DataFrame:
        """The table of ``names``, one row per (period, area) with the total after the areas, from
        ``columns`` by (period, area) and the periods' ``index`` (year[, month]), with the run's
        keys and integer counts as int64."""
        periods = len(next(iter(index.values())))
        keys = {"replication": self.model.replication, "seed": self.model.seed,
                "scenario": self.model.config.scenario.name,
                "area": np.tile(self.model.area_names + [TOTAL], periods),
                **{name: np.repeat(values, self.n + 1) for name, values in index.items()}}

        def column(values):
            values = np.ravel(values)
            return values.astype(np.int64) if values.dtype.kind in "iu" else values
        return pd.DataFrame({c: keys[c] if c in keys else column(columns[c]) for c in names},
                            index=pd.RangeIndex(periods * (self.n + 1)))

    def monthly_table(self) -> pd.DataFrame:
        if not self.monthly_flows:  # no step yet
            return _empty_table(monthly_columns())
        months = self.model.start_month + np.arange(len(self.monthly_flows))
        columns = self._with_total(self._frame(np.array(self.monthly_stocks), np.array(self.monthly_flows)))
        return self._stamp(columns, monthly_columns(), {"year": months // 12, "month": months % 12 + 1})

    @staticmethod
    def _derive(t: MutableMapping) -> None:
        derive_counts(t)
        t["pop_men_20_plus"] = t["pop_20_plus"] - t["pop_women_20_plus"]
        for name in RATIO_PARTS:
            t[name] = ratio(t, name)

    def yearly_table(self) -> pd.DataFrame:
        n_years = len(self.monthly_flows) // 12
        if n_years == 0:  # no complete year yet
            return _empty_table(yearly_columns())
        monthly_stocks = np.array(self.monthly_stocks)
        flows = np.array(self.monthly_flows)[: n_years * 12].reshape(n_years, 12, len(FLOWS), -1).sum(axis=1)
        years = self.model.start_month // 12 + np.arange(n_years)
        t = self._frame(monthly_stocks[::12][: n_years + 1], flows)
        by_month = monthly_stocks[: n_years * 12]
        means = by_month.reshape(n_years, 12, *by_month.shape[1:]).mean(axis=1)
        for name, o in zip(MONTH_MEAN_STOCKS, MONTH_MEANS):
            t[o.name] = means[:, MONTHLY_STOCKS.index(name)]
        for name in YEARLY_STOCKS:
            t[name] = np.array([self.january[y][name] for y in years])
        empty = {o.name: np.zeros(self.n, dtype=np.int64) for o in DISTINCT}
        for o in DISTINCT:
            t[o.name] = np.array([self.distinct.get(y, empty)[o.name] for y in years])
        t = self._with_total(t)
        self._derive(t)
        ledger, costs = self.model.ledger, self.model.costs
        total = np.arange(self.n + 1) == self.n  # the total's column

        def by_year(value) -> np.ndarray:  # a value of each year, as a column by (year, area)
            return np.repeat(np.array([value(y) for y in years], dtype=float)[:, None], self.n + 1, axis=1)
        t["reserve_eur"] = np.where(total, by_year(lambda y: ledger.reserve_at_start.get(y, np.nan)), np.nan)
        t["general_fund_eur"] = np.where(total, by_year(lambda y: ledger.general_fund.get(y, np.nan)), np.nan)
        t["reserve_end_eur"] = t["reserve_eur"] + np.where(total, t["municipal_result_eur"], np.nan) - t["general_fund_eur"]
        t["price_index"] = by_year(costs.index)
        t["care_wage_index"] = by_year(costs.wage_index)
        t["cost_total_eur_real"] = t["cost_total_eur"] / t["price_index"]
        t["budget_eur_real"] = t["budget_eur"] / t["price_index"]
        return self._stamp(t, yearly_columns(), {"year": years})


class WarmUpRecorder(Recorder):
    """The warm-up's recorder, which the model discards: flows are not counted (the marks of
    persons counted once a year still work, for the kernels that write them)."""

    def count(self, name: str, areas: np.ndarray, weights: np.ndarray | float | None = None) -> None:
        pass

    def add(self, name: str, by_area: np.ndarray) -> None:
        pass

    def count_by(self, names: list[str], keys: np.ndarray, areas: np.ndarray) -> None:
        pass

    def end_month(self) -> None:
        pass


AGE_GROUPS = ((0, 17), (18, MAX_AGE), (20, MAX_AGE), (50, 74), (65, MAX_AGE), (80, MAX_AGE), (85, MAX_AGE),
              (20, 49), (50, 64), (65, 74), (75, MAX_AGE))  # years
JANUARY_COUNTS = ("pop_0_17", "pop_18_plus", "pop_20_plus", "pop_50_74", "pop_65_plus", "pop_80_plus", "pop_85_plus",
                  "pop_20_49", "pop_50_64", "pop_65_74", "pop_75_plus",
                  "hh_single", "hh_single_65_plus", "hh_couple_no_children", "hh_couple_with_children",
                  "hh_single_parent", "hh_other")


@jit
def _household_types(area_starts, by_area, first, end, members, birth_month, partner, mother, father, now):
    """Households by type per area (the last six of JANUARY_COUNTS), from each household's
    members (``first``, ``end``, ``members``: the census grouping) among the households with members
    by area (``area_starts``, ``by_area``): how many, how many with a partner, how many living
    with a parent (children), the oldest's age."""
    counts = np.zeros((6, len(area_starts) - 1), dtype=np.int64)
    for area in range(len(area_starts) - 1):
        for j in range(area_starts[area], area_starts[area + 1]):
            h = by_area[j]
            s = end[h] - first[h]
            k = partnered = oldest = 0
            for m in range(first[h], end[h]):
                i = members[m]
                # a child: their mother or father is among the members (who all live here)
                mo, fa = mother[i], father[i]
                child = False
                for other in range(first[h], end[h]):
                    child |= (members[other] == mo) | (members[other] == fa)
                k += child
                partnered += partner[i] != NO_ID
                oldest = max(oldest, age_at(birth_month, now, i))
            couple = partnered >= 2
            single, with_couple = s == 1, couple and k == 0 and s == 2
            with_children, single_parent = couple and k > 0, not couple and k > 0 and s - k == 1
            counts[0, area] += single
            counts[1, area] += single & (oldest >= 65)
            counts[2, area] += with_couple
            counts[3, area] += with_children
            counts[4, area] += single_parent
            counts[5, area] += not (single or with_couple or with_children or single_parent)
    return counts


@jit
def _waiting_weeks(ids, area, wait_since, now, n_areas):
    """The weeks waited so far by the ``ids`` (on a waiting list), summed by area."""
    weeks = np.zeros(n_areas)
    for i in ids:
        weeks[area[i]] += (now - wait_since[i]) * 52.0 / 12.0
    return weeks
