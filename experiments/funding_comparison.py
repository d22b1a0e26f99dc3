"""Funding schemes compared: population-based funding (the baseline) against fee-for-service and shared savings.

    python experiments/funding_comparison.py [--scale 0.1] [--replications 3] [--years 2016 2040] [--workers 2]
                                          [--markets baseline staff_shortage]

The areas' lead contractors are paid a population-based contract sum (per need-weighted resident,
renegotiated each year on realised cost; they keep a surplus and reinvest part of it in prevention
and the informal field, trim hours per client, move light clients to general provisions, deliver
light and medium indications through the client's network and volunteers where these cover them, step
light and medium clients down to their network or a general place at re-assessments and bear
their deficits: they may renegotiate or fail), per unit delivered (fee_for_service: more hours per
client, later exit from care), or per unit plus half the saving against the population-based sum,
spent on prevention (shared_savings, the Coevorden pilot); the same seeds for all. Each scheme runs
on every scenario of --markets (default: the baseline's labour market and the staff_shortage
scenario's, where staff is scarce). The report gives each scheme's indicators and its difference
from population-based funding on the same labour market per replication (paired seeds), with 95%
intervals and the standard deviation of the paired differences, beside population-based funding's
level; that table is also printed. The waiting list is given three ways: on 1 January (one day a
year), as the mean of every month's list, and that mean split into the contract domains' list (what
the schemes act on) and youth care's. Writes report.md, summary.csv, runs.parquet and funding.png to
results/experiments/funding_comparison/.
"""

import pandas as pd

from simulation import experiment
from simulation.outputs import RATIO_PARTS, ratio
from simulation.summarize import interval

SCHEMES = ("population", "fee_for_service", "shared_savings")
PER_CONTRACTOR = ("contractor_renegotiated", "contractor_replaced")  # one contractor per area at any scale
BASELINE = "population"
# the waiting list three ways: on 1 January (one day a year), its mean over all months, and that mean
# split into the contract domains' list (what the schemes act on) and youth care's (which they do not)
WAITING = ["waiting_list", "waiting_list_months_mean", "waiting_list_contract_months_mean", "waiting_list_youth_months_mean"]
INDICATORS = [*WAITING, "provider_wait_weeks_mean", "provider_wait_weeks_mean_youth", "unmet_need_person_months", "escalations_while_waiting", "cost_total_eur",
              "informal_share", "informal_share_durable", "outcome_informal_contractor", "prevention_spend_eur", "general_provision_clients", "requests", "reserve_end_eur",
              "contractor_renegotiated", "contractor_replaced", "stepped_down_informal", "stepped_down_general"]


def variant(scheme: str, market: str) -> str:
    return scheme if market == "baseline" else f"{scheme} ({market})"


def differences(runs: pd.DataFrame, scale: float, first_year: int, markets: list[str]) -> pd.DataFrame:
    """Per scheme and labour market: the mean per year over the period from ``first_year`` minus
    population-based funding's on the same market, per seed (same seeds; ratios from the period's
    summed counts), then its mean, 95% interval and standard deviation across seeds (whole
    municipality, at full scale)."""
    t = runs[(runs.area == "total") & (runs.year >= first_year)]
    ratios = [c for c in INDICATORS if c in RATIO_PARTS]
    counts = [c for c in INDICATORS if c not in RATIO_PARTS]
    per_seed = t.groupby(["variant", "seed"], observed=True)[counts].mean()
    per_seed[[c for c in counts if c not in PER_CONTRACTOR]] /= scale
    sums = t.groupby(["variant", "seed"], observed=True)[[c for r in ratios for c in RATIO_PARTS[r][:2]]].sum()
    for name in ratios:
        per_seed[name] = ratio(sums, name)
    diffs, levels = [], []
    for market in markets:
        base = per_seed.xs(variant(BASELINE, market), level="variant")
        level = base.mean().map(lambda v: experiment.fmt(v, float("nan"), float("nan")))  # (no interval)
        levels.append(level.rename(f"{variant(BASELINE, market)} (level)"))
        for scheme in SCHEMES[1:]:
            d = per_seed.xs(variant(scheme, market), level="variant") - base
            diffs.append(d.reset_index().assign(variant=variant(scheme, market)))
    diff = pd.concat(diffs, ignore_index=True)
    s = interval(diff, ["variant"], INDICATORS)
    sd = diff.groupby("variant")[INDICATORS].std(ddof=1).stack().rename("sd").reset_index()
    s = s.merge(sd.rename(columns={"level_1": "indicator"}), on=["variant", "indicator"])
    s["value"] = [f"{experiment.fmt(m, lo, hi)} sd {d:.3g}" for m, lo, hi, d in zip(s["mean"], s.low, s.high, s.sd)]
    table = pd.concat([pd.DataFrame(levels), s.pivot(index="variant", columns="indicator", values="value")])[INDICATORS]
    return table.rename(columns={"waiting_list": "waiting_list (1 January)"})


def main() -> None:
    args = experiment.options(__doc__, "funding_comparison", extra=lambda p: p.add_argument(
        "--markets", nargs="+", default=["baseline", "staff_shortage"],
        help="scenarios whose labour market the schemes run on (default: baseline staff_shortage)"))
    variants = {variant(scheme, market): (market, {"funding.scheme": scheme})
                for market in args.markets for scheme in SCHEMES}
    runs = experiment.run_variants(variants, INDICATORS, **experiment.run_settings(args))
    s = experiment.summary(runs, INDICATORS, args.scale)
    years = experiment.report_years(args.years, (2030,))
    first = min(args.years[0] + 1, args.years[1])
    title = (f"Difference from population-based funding on the same labour market, mean per year {first}-{args.years[1]}, "
             "paired seeds: mean (95% interval) and sd, the standard deviation of the paired differences")
    table = differences(runs, args.scale, first, args.markets).T.to_markdown()
    print(f"{title}\n\n{table}\n")
    report = experiment.header(
        "Funding schemes", args,
        "How the areas' lead contractors are paid, and what that does to the waiting list, unmet need, cost, "
        "the informal share, prevention and the municipality's reserve; and which contractors renegotiate or fail.") \
        + "\n## By year\n\n" + experiment.at_years(s, years, INDICATORS).T.to_markdown() \
        + f"\n\n## {title}\n\n" + table + "\n"
    figures = {"funding": experiment.lines(s, INDICATORS, "Funding schemes")}
    experiment.write(args.out, "funding_comparison", runs, s, figures, report)


if __name__ == "__main__":
    main()
