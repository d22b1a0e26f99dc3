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

from .costs import LINES
from .outputs import FLOWS, MONTHLY_STOCKS

HEADLINES = ("informal_share", "requests", "resolved", "solved_informally", "waiting_list", "unmet_need_persons",
             "carers", "cost_total_eur", "budget_eur")
_OUTCOMES = [FLOWS.index(f) for f in FLOWS if f.startswith("outcome_")]
_INFORMAL = [FLOWS.index("outcome_informal_network"), FLOWS.index("outcome_informal_arranged")]
_COSTS = [FLOWS.index(f"cost_{line}_eur") for line in LINES]


class Headlines:
    """Reporters for ``mesa.DataCollector``: the headline indicators by area and in total,
    computed once per collected month."""

    def __init__(self, model):
        self.model = model
        self._values: tuple = (None, {})  # (months closed, values by column)

    def reporters(self) -> dict:
        names = ["year", "month", "population", "households", *HEADLINES]
        columns = names + [f"{name}[{area}]" for name in HEADLINES for area in self.model.area_names]
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
        by_area = {
            "requests": flows[FLOWS.index("requests")],
            "resolved": flows[_OUTCOMES].sum(axis=0),
            "solved_informally": flows[_INFORMAL].sum(axis=0),
            "waiting_list": stocks[MONTHLY_STOCKS.index("waiting_list")].astype(float),
            "unmet_need_persons": distinct.get("unmet_need_persons", np.zeros(n)).astype(float),
            "carers": distinct.get("carers", np.zeros(n)).astype(float),
            "cost_total_eur": flows[_COSTS].sum(axis=0),
            "budget_eur": flows[FLOWS.index("budget_eur")],
        }
        out = {"year": year, "month": month, "population": int(stocks[0].sum()), "households": int(stocks[1].sum())}
        for name, values in by_area.items():
            out[name] = float(values.sum())
            out.update({f"{name}[{area}]": float(v) for area, v in zip(model.area_names, values)})
        for key in ("", *(f"[{area}]" for area in model.area_names)):
            resolved = out[f"resolved{key}"]
            out[f"informal_share{key}"] = out[f"solved_informally{key}"] / resolved if resolved else float("nan")
        return out

