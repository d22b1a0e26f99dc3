"""Baseline cost in 2017 against Emmen's budget lines (policy plan 2016, section 6.1).

    python experiments/budget_2017.py [--seed 1] [--scale 1.0] [--replications 1]

Prints the model's cost per budget line next to the budget, the ratio, and whether each line
is within +-10% of its budget. Costs are nominal: the 2023 tariffs brought back to 2017 along the
one price path (observed CPI, simulation/data/emmen/price_index.csv). Household help's hours per
client follow the KPMG norm; the other formal hours and the aids cost per client were calibrated
against these 2017 lines (simulation/data/emmen/tariffs.csv), and the fit takes four of them as
targets, so this is a calibration check, not a validation (docs/odd/costs.md).
"""

from __future__ import annotations

import argparse

import pandas as pd

from simulation import SocialDomainModel
from simulation.costs import LINES
from simulation.funding import BUDGET_LINE_OF_COST

YEAR = 2017
TOLERANCE = 0.10  # the target for every line


def comparison(seed: int, scale: float, replications: int) -> pd.DataFrame:
    costs = []
    for r in range(replications):
        m = SocialDomainModel("baseline", rng=seed + r, scale=scale, end_year=YEAR)
        m.run()
        row = m.yearly().query("area == 'total' and year == @YEAR").iloc[0]
        costs.append({line: row[f"cost_{line}_eur"] / scale for line in LINES})
    cost = pd.DataFrame(costs).mean()
    budget = m.municipality.budget(YEAR)
    by_line = cost.groupby(BUDGET_LINE_OF_COST).sum()
    df = pd.DataFrame({"model_cost_meur": by_line / 1e6,
                       "budget_meur": pd.Series(budget) / scale / 1e6}).fillna(0.0)
    df.loc["total"] = df.sum()
    df["ratio"] = df.model_cost_meur / df.budget_meur
    return df.round(3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--replications", type=int, default=1)
    args = parser.parse_args()
    df = comparison(args.seed, args.scale, args.replications)
    print(f"Emmen {YEAR}: model cost vs budget by line (EUR million, nominal)")
    print(df.to_string())
    off = df[(df.ratio - 1).abs() > TOLERANCE]
    print(f"lines within +-{TOLERANCE:.0%} of the budget: {len(df) - len(off)} of {len(df)}"
          + (f"; outside: {', '.join(off.index)}" if len(off) else ""))


if __name__ == "__main__":
    main()
