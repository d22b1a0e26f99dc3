"""Funding schemes: population-based funding against fee-for-service and shared savings.

    python experiments/funding_schemes.py [--scale 0.1] [--replications 3] [--years 2016 2040] [--workers 2]

The areas' lead contractors are paid a population-based budget (they keep a surplus and reinvest part
of it in prevention and the informal field), per unit delivered (fee_for_service), or per unit plus half
the saving against the budget, spent on prevention (shared_savings, the Coevorden pilot); the same seeds
for all three. The report gives each scheme's indicators and its difference from fee-for-service per
replication, with 95% intervals. Writes report.md, summary.csv, runs.parquet and funding.png to
results/experiments/funding_schemes/.
"""

import pandas as pd

from simulation import experiment
from simulation.summarize import interval

SCHEMES = ("population", "fee_for_service", "shared_savings")
INDICATORS = ["prevention_spend_eur", "informal_share", "requests", "cost_total_eur", "reserve_end_eur",
              "unmet_need_persons"]


def differences(runs: pd.DataFrame, scale: float, first_year: int) -> pd.DataFrame:
    """Per scheme: the mean per year over the period from ``first_year`` minus fee-for-service's,
    per seed (same seeds), then mean and 95% interval across seeds (whole municipality)."""
    t = runs[(runs.area == "total") & (runs.year >= first_year)]
    counts = [c for c in INDICATORS if c != "informal_share"]
    per_seed = t.groupby(["variant", "seed"], observed=True)[counts].mean() / scale
    sums = t.groupby(["variant", "seed"], observed=True)[["solved_informally", "resolved"]].sum()
    per_seed["informal_share"] = sums.solved_informally / sums.resolved
    diff = (per_seed - per_seed.xs("fee_for_service", level="variant")).reset_index()
    s = interval(diff[diff.variant != "fee_for_service"], ["variant"], INDICATORS)
    s["value"] = [experiment.fmt(m, lo, hi) for m, lo, hi in zip(s["mean"], s.low, s.high)]
    return s.pivot(index="variant", columns="indicator", values="value")[INDICATORS]


def main() -> None:
    args = experiment.options(__doc__, "funding_schemes")
    variants = {scheme: ("baseline", {"funding.scheme": scheme}) for scheme in SCHEMES}
    runs = experiment.run_variants(variants, INDICATORS, scale=args.scale, years=args.years,
                                   replications=args.replications, seed=args.seed, workers=args.workers)
    s = experiment.summary(runs, INDICATORS, args.scale)
    years = experiment.report_years(args.years, (2030,))
    first = min(args.years[0] + 1, args.years[1])
    report = experiment.header(
        "Funding schemes", args,
        "How the areas' lead contractors are paid, and what that does to prevention, the informal share, "
        "requests, cost and the municipality's reserve.") \
        + "\n## By year\n\n" + experiment.at_years(s, years, INDICATORS).T.to_markdown() \
        + f"\n\n## Difference from fee-for-service, mean per year {first}-{args.years[1]}\n\n" \
        + differences(runs, args.scale, first).T.to_markdown() + "\n"
    figures = {"funding": experiment.lines(s, INDICATORS, "Funding schemes")}
    experiment.write(args.out, "funding_schemes", runs, s, figures, report)


if __name__ == "__main__":
    main()
