"""Funding schemes: population-based funding (the baseline) against fee-for-service and shared savings.

    python experiments/funding_schemes.py [--scale 0.1] [--replications 3] [--years 2016 2040] [--workers 2]

The areas' lead contractors are paid a population-based budget (they keep a surplus and reinvest part
of it in prevention and the informal field, trim hours per client, move light clients to general
provisions and bear their deficits: they may renegotiate or fail), per unit delivered
(fee_for_service: more hours per client, later exit from care), or per unit plus half the saving
against the budget, spent on prevention (shared_savings, the Coevorden pilot); the same seeds for
all three. The report gives each scheme's indicators and its difference from the baseline per
replication (paired seeds), with 95% intervals and the standard deviation of the paired
differences. Writes report.md, summary.csv, runs.parquet and funding.png to
results/experiments/funding_schemes/.
"""

import pandas as pd

from simulation import experiment
from simulation.summarize import interval

SCHEMES = ("population", "fee_for_service", "shared_savings")
BASELINE = "population"
INDICATORS = ["waiting_list", "unmet_need_person_months", "cost_total_eur", "informal_share", "prevention_spend_eur",
              "requests", "reserve_end_eur", "contractor_renegotiated", "contractor_replaced"]


def differences(runs: pd.DataFrame, scale: float, first_year: int) -> pd.DataFrame:
    """Per scheme: the mean per year over the period from ``first_year`` minus the baseline's,
    per seed (same seeds), then its mean, 95% interval and standard deviation across seeds
    (whole municipality, at full scale)."""
    t = runs[(runs.area == "total") & (runs.year >= first_year)]
    counts = [c for c in INDICATORS if c != "informal_share"]
    per_seed = t.groupby(["variant", "seed"], observed=True)[counts].mean() / scale
    sums = t.groupby(["variant", "seed"], observed=True)[["solved_informally", "resolved"]].sum()
    per_seed["informal_share"] = sums.solved_informally / sums.resolved
    diff = (per_seed - per_seed.xs(BASELINE, level="variant")).reset_index()
    diff = diff[diff.variant != BASELINE]
    s = interval(diff, ["variant"], INDICATORS)
    sd = diff.groupby("variant")[INDICATORS].std(ddof=1).stack().rename("sd").reset_index()
    s = s.merge(sd.rename(columns={"level_1": "indicator"}), on=["variant", "indicator"])
    s["value"] = [f"{experiment.fmt(m, lo, hi)} sd {d:.3g}" for m, lo, hi, d in zip(s["mean"], s.low, s.high, s.sd)]
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
        "How the areas' lead contractors are paid, and what that does to the waiting list, unmet need, cost, "
        "the informal share, prevention and the municipality's reserve; and which contractors renegotiate or fail.") \
        + "\n## By year\n\n" + experiment.at_years(s, years, INDICATORS).T.to_markdown() \
        + f"\n\n## Difference from the baseline (population-based funding), mean per year {first}-{args.years[1]}, " \
        + "paired seeds: mean (95% interval) and sd, the standard deviation of the paired differences\n\n" \
        + differences(runs, args.scale, first).T.to_markdown() + "\n"
    figures = {"funding": experiment.lines(s, INDICATORS, "Funding schemes")}
    experiment.write(args.out, "funding_schemes", runs, s, figures, report)


if __name__ == "__main__":
    main()
