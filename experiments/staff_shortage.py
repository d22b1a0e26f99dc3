"""Staff shortage: what a shrinking care labour market does to waits, unmet need, escalations and cost,
and who pays.

    python experiments/staff_shortage.py [--scale 0.1] [--replications 3] [--years 2016 2035] [--workers 2]
                                         [--period 2031 2035] [--growth 0.0 -0.04]

Runs the baseline and the staff_shortage scenario (new entrants to the regional care labour market
shrinking 2% a year instead of growing 1.5%), plus the baseline with each --growth value of
labour_market.supply_growth, all with the same seeds. The report gives, per variant, the paired
difference from the baseline (per seed: the sum over the period for flows and money, the mean for
stocks and ratios; then mean, sd of the paired differences and 95% interval across seeds): first the
cost by payer side by side for each five-year period (the municipality, other payers, the informal
carers, those waiting, society), the 40% indicators and their guard rails (yearly means) for each five-year
period, then every indicator over --period, with the municipality's cost by
line (the care not delivered; bridging care by line, part of them), and the indicators by year with 95% intervals. Writes report.md,
summary.csv, runs.parquet and staff_shortage.png to results/experiments/staff_shortage/.
"""

from __future__ import annotations

import pandas as pd

from simulation import experiment
from simulation.costs import BRIDGING
from simulation.outputs import RATIO_PARTS, ratio
from simulation.summarize import interval

# who pays: the municipality's cost and what falls outside its books (costs.py), side by side
PAYERS = ["cost_total_eur", "cost_other_payers_eur", "other_payers_zvw_eur", "other_payers_wlz_eur",
          "informal_care_value_eur", "care_not_delivered_eur", "cost_societal_eur"]
# the municipality's cost by line: where the care not delivered shows, and what the waiting costs it
LINES = ["cost_household_help_eur", "cost_support_eur", "cost_aids_adaptations_eur", "cost_youth_care_eur",
         "cost_protected_living_eur", "cost_access_team_eur", "cost_crisis_eur", "bridging_eur", *BRIDGING]
# the 40% indicators and their guard rails: a shortage must not look like informal success
GUARD_RAILS = ["informal_share", "informal_share_durable", "informal_share_access_team", "withdrawn",
               "unmet_need_persons", "repeat_requests"]
INDICATORS = ["unmet_need_person_months", "escalations_while_waiting", "wlz_exits", "waiting_list",
              "provider_wait_weeks_mean", "access_wait_weeks_mean", *PAYERS, *LINES, "carer_hours", "staff_fte",
              "staff_vacancies", "agency_fte", "wage_premium", *GUARD_RAILS]
SUMMED = {"unmet_need_person_months", "escalations_while_waiting", "wlz_exits", "carer_hours", *PAYERS, *LINES}
FIGURE = ["unmet_need_person_months", "escalations_while_waiting", "waiting_list", "cost_total_eur",
          "cost_other_payers_eur", "cost_societal_eur", "staff_fte", "agency_fte", "wage_premium"]
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
            rows.append({"variant": variant, "period": f"{period[0]}-{period[1]}", "indicator": name,
                         "baseline": values.xs(BASE, level="variant")[name].mean(), "scenario": v[name].mean(),
                         "difference": d[name].mean(), "sd_paired": d[name].std(ddof=1),
                         "low": s.loc[name, "low"], "high": s.loc[name, "high"]})
    return pd.DataFrame(rows)


def periods(years: tuple[int, int], length: int = 5) -> list[tuple[int, int]]:
    """The simulated years in blocks of ``length`` (the last may be shorter)."""
    return [(y, min(y + length - 1, years[1])) for y in range(years[0], years[1] + 1, length)]


def markdown(table: pd.DataFrame, first: str = "indicator") -> str:
    def num(x: float) -> str:
        return f"{x / 1e6:,.2f}M" if abs(x) >= 1e6 else (f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3f}")
    t = table.copy()
    for c in ("baseline", "scenario", "difference", "sd_paired", "low", "high"):
        t[c] = t[c].map(num)
    t["difference (sd of paired differences; 95% interval)"] = \
        t.difference + " (" + t.sd_paired + "; " + t.low + " to " + t.high + ")"
    columns = ["variant", first, "indicator"] if first != "indicator" else ["variant", "indicator"]
    return t[[*columns, "baseline", "scenario", "difference (sd of paired differences; 95% interval)"]] \
        .to_markdown(index=False)


def main() -> None:
    def extra(parser):
        parser.add_argument("--growth", nargs="*", type=float, default=[],
                            help="further values of labour_market.supply_growth on the baseline (1/year)")
        parser.add_argument("--period", nargs=2, type=int, default=None, metavar=("FIRST", "LAST"),
                            help="years of the paired comparison (default: the last five simulated)")
    args = experiment.options(__doc__, "staff_shortage", years=(2016, 2035), extra=extra)
    variants = {BASE: ("baseline", {}), "staff_shortage": ("staff_shortage", {})}
    variants |= {f"supply growth {g:+.1%}/year": ("baseline", {"labour_market.supply_growth": g}) for g in args.growth}
    runs = experiment.run_variants(variants, INDICATORS, **experiment.run_settings(args))
    period = tuple(args.period) if args.period else (max(args.years[0], args.years[1] - 4), args.years[1])
    s = experiment.summary(runs, INDICATORS, args.scale)
    years = experiment.report_years(args.years, (2025, 2030))
    by_payer = pd.concat([paired(runs, p, args.scale) for p in periods(args.years)])
    by_payer = by_payer[by_payer.indicator.isin(PAYERS)]
    by_period = pd.concat([paired(runs, p, args.scale) for p in periods(args.years)])
    guard_rails = by_period[by_period.indicator.isin(GUARD_RAILS)]
    print(markdown(by_payer, "period"))
    print(markdown(guard_rails, "period"))
    report = experiment.header(
        "Staff shortage", args,
        "New entrants to the regional care labour market grow or shrink by the given rate a year; providers and "
        "the access team hire from that pool, wages respond to open posts and providers hire agency staff. Unmet "
        "need, escalations while waiting, waits, cost and who pays it, and what the shortage does to the labour "
        "market.") \
        + "\n## Who pays: paired difference from the baseline by period\n\nEUR summed over each period, whole " \
          "municipality: the municipality's cost (`cost_total_eur`), the other payers' (`cost_other_payers_eur`: " \
          "health insurance and Wlz), the informal carers' hours at a shadow price, the care those waiting for a " \
          "provider go without at its price, and their sum (`cost_societal_eur`).\n\n" + markdown(by_payer, "period") \
        + "\n\n## The 40% indicators and their guard rails by period\n\nYearly means over each period (ratios " \
          "from the period's counts), whole municipality: a shortage must not raise the durable share.\n\n" \
        + markdown(guard_rails, "period") \
        + f"\n\n## Paired difference from the baseline, {period[0]}-{period[1]}\n\nFlows and money summed over the " \
          "period, stocks averaged, ratios from the period's counts; whole municipality. The cost lines " \
          "(`cost_<line>_eur`) show the care not delivered; `bridging_eur` is part of the lines of its " \
          "domains.\n\n" \
        + markdown(paired(runs, period, args.scale)) \
        + "\n\n## By year\n\n" + experiment.at_years(s, years, INDICATORS).T.to_markdown() + "\n"
    figures = {"staff_shortage": experiment.lines(s, FIGURE, "Staff shortage")}
    experiment.write(args.out, "staff_shortage", runs, s, figures, report)


if __name__ == "__main__":
    main()
