"""The headline indicators in Mesa's ``DataCollector``, so ``mesa.batch_run`` and Mesa's own
tools get the social domain, not only the population.

After each month the collector records, for the municipality (plain names) and each area
(``"<name>[<area>]"``), the year to date: flows summed from January up to the month just
simulated (its December row is the year's total, as in the yearly table), persons counted once
a year so far, and stocks at the end of the month. Definitions are those of ``outputs.py``.
The rows come from the recorder's closed months: collecting reads, it never steps anything.
"""

from __future__ import annotations

import numpy as np

from .outputs import FLOWS, MONTHLY_STOCKS, RATIO_PARTS, derive_counts

# the 40% indicator beside its variants and guard rails (so that no lever looks good by turning
# people away), then the counts and money behind them
HEADLINES = ("informal_share", "informal_share_access_team", "informal_share_durable", "withdrawn", "repeat_requests",
             "requests", "resolved", "solved_informally", "waiting_list", "unmet_need_persons", "carers",
             "cost_total_eur", "budget_eur")
RATIOS = [name for name in HEADLINES if name in RATIO_PARTS]
COUNTS = [name for name in HEADLINES if name not in RATIO_PARTS] + [
    part for name in RATIOS for part in RATIO_PARTS[name][:2] if part not in HEADLINES]


class Headlines:
    """Reporters for ``mesa.DataCollector``: the headline indicators by area and in total,
    computed once per collected month."""

    def __init__(self, model):
        self.model = model
        self._values: tuple = (None, {})  # (months closed, values by column)
        # the columns of each count, then of each ratio, as [total, *by area]: made once, not every month
        self._columns = [f"{name}{key}" for name in COUNTS + RATIOS
                         for key in ("", *(f"[{area}]" for area in model.area_names))]
        self._ratio_rows = tuple(np.array([COUNTS.index(RATIO_PARTS[name][i]) for name in RATIOS]) for i in (0, 1))
        self._ratio_factors = np.array([[RATIO_PARTS[name][2]] for name in RATIOS])

    def reporters(self) -> dict:
        columns = ["year", "month", "population", "households", *HEADLINES]
        columns += [f"{name}[{area}]" for name in HEADLINES for area in self.model.area_names]
        return {column: (lambda m, c=column: self.values()[c]) for column in columns}

    def values(self) -> dict:
        rec = self.model.recorder
        if self._values[0] != len(rec.monthly_flows):
            self._values = (len(rec.monthly_flows), self._compute())
        return self._values[1]

    def _compute(self) -> dict:
        model, rec = self.model, self.model.recorder
        n = len(model.area_names)
        closed = len(rec.monthly_flows)
        last = model.now - 1  # the month just simulated (absolute)
        year, month = (last // 12, last % 12 + 1) if closed else (model.now // 12, 0)
        months_this_year = min(month, closed)
        flows = (np.sum(rec.monthly_flows[closed - months_this_year:], axis=0) if months_this_year
                 else np.zeros((len(FLOWS), n)))
        stocks = rec.monthly_stocks[-1]
        distinct = rec.distinct.get(year, {})
        counts = dict(zip(FLOWS, flows))
        derive_counts(counts)
        counts["waiting_list"] = stocks[MONTHLY_STOCKS.index("waiting_list")].astype(float)
        for name in ("unmet_need_persons", "carers"):
            counts[name] = distinct.get(name, np.zeros(n)).astype(float)
        out = {"year": year, "month": month, "population": int(stocks[0].sum()), "households": int(stocks[1].sum())}
        # every count as a row [total, *by area], and the ratios of such rows (nan where the denominator is 0)
        table = np.empty((len(COUNTS), n + 1))
        table[:, 1:] = [counts[name] for name in COUNTS]
        table[:, 0] = table[:, 1:].sum(axis=1)
        num, den = table[self._ratio_rows[0]], table[self._ratio_rows[1]]
        ratios = np.divide(num, den, out=np.full(num.shape, np.nan), where=den != 0) * self._ratio_factors
        out.update(zip(self._columns, [*table.ravel().tolist(), *ratios.ravel().tolist()]))
        return out

