"""Outputs: each indicator defined once (name, unit, definition), recorded per area per month,
and assembled into tidy tables: one row per (replication, year[, month], area) with ``area`` =
each area name and ``total`` for the municipality.

Stocks are counted on the first day of the period (1 January for yearly rows, the first of the
month for monthly rows), as CBS counts residents; flows are summed over the period. The
accounting identity per row is ``population + births - deaths + net_migration = population_end``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .demography import FLOWS
from .population import FEMALE, NO_ID

TOTAL = "total"


@dataclass(frozen=True)
class Output:
    name: str
    unit: str
    definition: str
    tables: str = "yearly"  # "yearly" or "yearly+monthly"


KEYS = [
    Output("replication", "index", "Replication number within the run (0-based)", "yearly+monthly"),
    Output("seed", "integer", "Random seed of this replication; rerun it alone with --seed", "yearly+monthly"),
    Output("scenario", "name", "Scenario name", "yearly+monthly"),
    Output("year", "year", "Calendar year", "yearly+monthly"),
    Output("month", "1-12", "Calendar month", "monthly"),
    Output("area", "name", "Area name, or 'total' for the municipality", "yearly+monthly"),
]

STOCKS = [
    Output("population", "persons", "Residents at the start of the period (1 January / first of the month)", "yearly+monthly"),
    Output("population_end", "persons", "Residents at the end of the period (= next period's population)", "yearly+monthly"),
    Output("households", "households", "Private households with at least one resident at the start of the period", "yearly+monthly"),
    Output("pop_0_17", "persons", "Residents aged 0-17 on 1 January"),
    Output("pop_18_plus", "persons", "Residents aged 18 or older on 1 January"),
    Output("pop_50_74", "persons", "Residents aged 50-74 on 1 January (the potential carers of CBS's ratio)"),
    Output("pop_65_plus", "persons", "Residents aged 65 or older on 1 January"),
    Output("pop_80_plus", "persons", "Residents aged 80 or older on 1 January"),
    Output("pop_85_plus", "persons", "Residents aged 85 or older on 1 January"),
    Output("hh_single", "households", "One-person households on 1 January"),
    Output("hh_single_65_plus", "households", "One-person households of a person aged 65+ on 1 January"),
    Output("hh_couple_no_children", "households", "Couples without children living at home on 1 January"),
    Output("hh_couple_with_children", "households", "Couples with at least one child living at home on 1 January"),
    Output("hh_single_parent", "households", "One parent with at least one child living at home on 1 January"),
    Output("hh_other", "households", "Other multi-person households on 1 January"),
]

FLOW_OUTPUTS = [
    Output("births", "persons", "Live births during the period", "yearly+monthly"),
    Output("deaths", "persons", "Deaths of residents during the period", "yearly+monthly"),
    Output("immigrants", "persons", "Persons moving into the municipality during the period", "yearly+monthly"),
    Output("emigrants", "persons", "Residents moving out of the municipality during the period", "yearly+monthly"),
    Output("moved_in", "persons", "Persons moving into the area from another area of the municipality (0 for total)", "yearly+monthly"),
    Output("moved_out", "persons", "Persons moving from the area to another area of the municipality (0 for total)", "yearly+monthly"),
    Output("net_migration", "persons", "immigrants - emigrants + moved_in - moved_out", "yearly+monthly"),
]

RATIOS = [
    Output("share_65_plus", "fraction", "pop_65_plus / population"),
    Output("share_80_plus", "fraction", "pop_80_plus / population"),
    Output("share_85_plus", "fraction", "pop_85_plus / population"),
    Output("household_size", "persons per household", "population / households"),
    Output("potential_carer_ratio", "persons per person", "pop_50_74 / pop_85_plus (CBS: 15 in 2015, 6 in 2040 for NL)"),
]

OUTPUTS = KEYS + STOCKS + FLOW_OUTPUTS + RATIOS
YEARLY_STOCKS = [o.name for o in STOCKS if o.name not in ("population", "population_end", "households")]


def yearly_columns() -> list[str]:
    return [o.name for o in OUTPUTS if "yearly" in o.tables]


def monthly_columns() -> list[str]:
    return [o.name for o in OUTPUTS if "monthly" in o.tables]


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    return (num / den.where(den > 0)).astype(float)


class Recorder:
    """Collects per-area stocks and flows each month; builds the tables at the end."""

    def __init__(self, model):
        self.model = model
        self.pop = model.population
        self.monthly_stocks: list[np.ndarray] = []  # [population, households] per area
        self.monthly_flows: list[np.ndarray] = []  # one row per flow per area
        self.january: dict[int, dict[str, np.ndarray]] = {}

    def snapshot(self, now: int) -> None:
        """Stocks at the start of absolute month ``now`` (full detail in January)."""
        pop, p, h = self.pop, self.pop.persons, self.pop.households
        n = pop.n_areas
        ids = p.active()
        hh_of = p.household[ids]
        area = h.area[hh_of]
        hh = h.active()
        self.monthly_stocks.append(np.vstack([np.bincount(area, minlength=n),
                                              np.bincount(h.area[hh], minlength=n)]))
        if now % 12 == 0:
            self.january[now // 12] = self._detail(ids, hh_of, area, hh, now)

    def _detail(self, ids, hh_of, area, hh, now) -> dict[str, np.ndarray]:
        pop, p, h = self.pop, self.pop.persons, self.pop.households
        n = pop.n_areas
        age = pop.age_years(ids, now)

        def count(mask):
            return np.bincount(area[mask], minlength=n)

        out = {"pop_0_17": count(age < 18), "pop_18_plus": count(age >= 18),
               "pop_50_74": count((age >= 50) & (age <= 74)), "pop_65_plus": count(age >= 65),
               "pop_80_plus": count(age >= 80), "pop_85_plus": count(age >= 85)}
        # household types from per-household member counts
        size = np.bincount(hh_of, minlength=h.n)
        child = pop.lives_with_parent(ids)
        kids = np.bincount(hh_of[child], minlength=h.n)
        partnered = np.bincount(hh_of[p.partner[ids] != NO_ID], minlength=h.n)
        oldest = np.zeros(h.n, dtype=age.dtype)  # same dtype keeps ufunc.at fast
        np.maximum.at(oldest, hh_of, age)
        s, k, c = size[hh], kids[hh], partnered[hh] >= 2
        types = {
            "hh_single": s == 1,
            "hh_single_65_plus": (s == 1) & (oldest[hh] >= 65),
            "hh_couple_no_children": c & (k == 0) & (s == 2),
            "hh_couple_with_children": c & (k > 0),
            "hh_single_parent": ~c & (k > 0) & (s - k == 1),
        }
        typed = types["hh_single"] | types["hh_couple_no_children"] | types["hh_couple_with_children"] | types["hh_single_parent"]
        types["hh_other"] = ~typed
        for name, mask in types.items():
            out[name] = np.bincount(h.area[hh[mask]], minlength=n)
        return out

    def record_flows(self, flows: dict[str, np.ndarray]) -> None:
        self.monthly_flows.append(np.vstack([flows[f] for f in FLOWS]))

    # --- tables ------------------------------------------------------------------------
    def _frame(self, stocks: np.ndarray, flows: np.ndarray, index: pd.DataFrame) -> pd.DataFrame:
        """Long table from arrays shaped (periods, quantity, areas)."""
        names = self.model.area_names
        n_periods = stocks.shape[0] - 1
        rows = {"area": np.tile(names, n_periods)}
        for col in index.columns:
            rows[col] = np.repeat(index[col].to_numpy(), len(names))
        rows["population"] = stocks[:-1, 0].ravel()
        rows["population_end"] = stocks[1:, 0].ravel()
        rows["households"] = stocks[:-1, 1].ravel()
        for i, f in enumerate(FLOWS):
            rows[f] = flows[:, i].ravel()
        return pd.DataFrame(rows)

    def _with_total(self, df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
        value_cols = [c for c in df.columns if c not in keys + ["area"]]
        total = df.groupby(keys, sort=False)[value_cols].sum().reset_index()
        total["area"] = TOTAL
        total["moved_in"] = 0
        total["moved_out"] = 0
        out = pd.concat([df, total], ignore_index=True)
        order = {a: i for i, a in enumerate(self.model.area_names + [TOTAL])}
        out = out.sort_values(keys + ["area"], key=lambda s: s.map(order) if s.name == "area" else s,
                              kind="stable").reset_index(drop=True)
        out["net_migration"] = out["immigrants"] - out["emigrants"] + out["moved_in"] - out["moved_out"]
        return out

    def _stamp(self, df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
        df.insert(0, "scenario", self.model.config.scenario.name)
        df.insert(0, "seed", self.model.seed)
        df.insert(0, "replication", self.model.replication)
        int_cols = [c for c in df.columns if c not in ("scenario", "area") and df[c].dtype.kind in "iu"]
        df[int_cols] = df[int_cols].astype(np.int64)
        return df[columns]

    def monthly_table(self) -> pd.DataFrame:
        stocks = np.array(self.monthly_stocks)
        flows = np.array(self.monthly_flows)
        months = self.model.start_month + np.arange(len(flows))
        index = pd.DataFrame({"year": months // 12, "month": months % 12 + 1})
        df = self._with_total(self._frame(stocks, flows, index), ["year", "month"])
        return self._stamp(df, monthly_columns())

    def yearly_table(self) -> pd.DataFrame:
        n_years = len(self.monthly_flows) // 12
        stocks = np.array(self.monthly_stocks)[::12][: n_years + 1]
        flows = np.array(self.monthly_flows)[: n_years * 12].reshape(n_years, 12, len(FLOWS), -1).sum(axis=1)
        years = self.model.start_month // 12 + np.arange(n_years)
        df = self._frame(stocks, flows, pd.DataFrame({"year": years}))
        for name in YEARLY_STOCKS:
            df[name] = np.concatenate([self.january[y][name] for y in years])
        df = self._with_total(df, ["year"])
        df["share_65_plus"] = _ratio(df.pop_65_plus, df.population)
        df["share_80_plus"] = _ratio(df.pop_80_plus, df.population)
        df["share_85_plus"] = _ratio(df.pop_85_plus, df.population)
        df["household_size"] = _ratio(df.population, df.households)
        df["potential_carer_ratio"] = _ratio(df.pop_50_74, df.pop_85_plus)
        return self._stamp(df, yearly_columns())
