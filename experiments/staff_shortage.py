"""Staff shortage: what a shrinking care labour market does to waits, unmet need, escalations and cost.

    python experiments/staff_shortage.py [--scale 0.1] [--replications 3] [--years 2016 2035] [--workers 2]
                                         [--period 2031 2035] [--growth 0.0 -0.04]

Runs the baseline and the staff_shortage scenario (new entrants to the regional care labour market
shrinking 2% a year instead of growing 1.5%), plus the baseline with each --growth value of
labour_market.supply_growth, all with the same seeds. The report gives, per variant, the indicators by
year with 95% intervals and the paired difference from the baseline over --period (per seed: the sum
over the period for flows and money, the mean for stocks and ratios; then mean, sd of the paired
differences and 95% interval across seeds). Writes report.md, summary.csv, runs.parquet and
staff_shortage.png to results/experiments/staff_shortage/.
"""

from __future__ import annotations

import pandas as pd

from simulation import experiment
from simulation.outputs import RATIO_PARTS, ratio
from simulation.summarize import interval

INDICATORS = ["unmet_need_person_months", "escalations_while_waiting", "waiting_list", "provider_wait_weeks_mean",
              "access_wait_weeks_mean", "cost_total_eur", "cost_crisis_eur", "staff_fte", "staff_vacancies", "agency_fte",
              "wage_premium", "informal_share"]
SUMMED = {"unmet_need_person_months", "escalations_while_waiting", "cost_total_eur", "cost_crisis_eur"}
BASE = "baseline"


def per_seed(runs: pd.DataFrame, period: tuple[int, int], scale: float) -> pd.DataFrame:
    """Per variant and seed, the municipality over ``period``: flows and money summed, stocks
    averaged (whole municipality), ratios from the period's summed counts."""
    t = runs[(runs.area == "total") & runs.year.between(*period)]
    g = t.groupby(["variant", "seed"], observed=True)
    out = pd.DataFrame(index=g.size().index)
    for name in INDICATORS:
        if name in RATIO_PARTS:
            out[name] = ratio(g[list(RATIO_PARTS[name][:2])].sum(), name)
        else:
            out[name] = (g[name].sum() if name in SUMMED else g[name].mean()) / scale
    return out


def paired(runs: pd.DataFrame, period: tuple[int, int], scale: float) -> pd.DataFrame:
    """Per variant and indicator: baseline mean, variant mean, the mean paired difference with the
    sd of the paired differences and its 95% interval across seeds."""
    values = per_seed(runs, period, scale)
    diff = (values - values.xs(BASE, level="variant")).reset_index()
    rows = []
    for variant, v in values.groupby(level="variant", observed=True):
        if variant == BASE:
            continue
        d = diff[diff.variant == variant]
        s = interval(d, ["variant"], INDICATORS).set_index("indicator")
        for name in INDICATORS:
            rows.append({"variant": variant, "indicator": name,
                         "baseline": values.xs(BASE, level="variant")[name].mean(), "scenario": v[name].mean(),
                         "difference": d[name].mean(), "sd_paired": d[name].std(ddof=1),
                         "low": s.loc[name, "low"], "high": s.loc[name, "high"]})
    return pd.DataFrame(rows)


def markdown(table: pd.DataFrame) -> str:
    def num(x: float) -> str:
        return f"{x / 1e6:,.2f}M" if abs(x) >= 1e6 else (f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3f}")
    t = table.copy()
    for c in ("baseline", "scenario", "difference", "sd_paired", "low", "high"):
        t[c] = t[c].map(num)
    t["difference (sd of paired differences; 95% interval)"] = \
        t.difference + " (" + t.sd_paired + "; " + t.low + " to " + t.high + ")"
    return t[["variant", "indicator", "baseline", "scenario",
              "difference (sd of paired differences; 95% interval)"]].to_markdown(index=False)


def main() -> None:
    def extra(parser):
        parser.add_argument("--growth", nargs="*", type=float, default=[],
                            help="further values of labour_market.supply_growth on the baseline (1/year)")
        parser.add_argument("--period", nargs=2, type=int, default=None, metavar=("FIRST", "LAST"),
                            help="years of the paired comparison (default: the last five simulated)")
    args = experiment.options(__doc__, "staff_shortage", years=(2016, 2035), extra=extra)
    variants = {BASE: ("baseline", {}), "staff_shortage": ("staff_shortage", {})}
    variants |= {f"supply growth {g:+.1%}/year": ("baseline", {"labour_market.supply_growth": g}) for g in args.growth}
    runs = experiment.run_variants(variants, INDICATORS, scale=args.scale, years=args.years,
                                   replications=args.replications, seed=args.seed, workers=args.workers)
    period = tuple(args.period) if args.period else (max(args.years[0], args.years[1] - 4), args.years[1])
    s = experiment.summary(runs, INDICATORS, args.scale)
    years = experiment.report_years(args.years, (2025, 2030))
    report = experiment.header(
        "Staff shortage", args,
        "New entrants to the regional care labour market grow or shrink by the given rate a year; providers and "
        "the access team hire from that pool, wages respond to open posts and providers hire agency staff. Unmet "
        "need, escalations while waiting, waits, cost and what the shortage does to the labour market.") \
        + f"\n## Paired difference from the baseline, {period[0]}-{period[1]}\n\nFlows and money summed over the " \
          "period, stocks averaged, ratios from the period's counts; whole municipality.\n\n" \
        + markdown(paired(runs, period, args.scale)) \
        + "\n\n## By year\n\n" + experiment.at_years(s, years, INDICATORS).T.to_markdown() + "\n"
    figures = {"staff_shortage": experiment.lines(s, INDICATORS, "Staff shortage")}
    experiment.write(args.out, "staff_shortage", runs, s, figures, report)


if __name__ == "__main__":
    main()
