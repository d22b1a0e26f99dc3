"""Staff shortage: what a shrinking care labour market does to waits, unmet need and escalations.

    python experiments/staff_shortage.py [--scale 0.1] [--replications 3] [--years 2016 2040] [--workers 2]
                                         [--growth 0.015 0 -0.02 -0.04]

Each variant sets labour_market.supply_growth (yearly growth of new entrants to the regional care
labour market; 0.015 is the baseline, -0.02 the staff_shortage scenario) from the first year, with
the same seeds. Writes report.md, summary.csv, runs.parquet and staff_shortage.png to
results/experiments/staff_shortage/.
"""

from simulation import experiment

INDICATORS = ["provider_wait_weeks_mean", "access_wait_weeks_mean", "waiting_list", "unmet_need_persons",
              "escalations_while_waiting", "cost_total_eur"]


def main() -> None:
    args = experiment.options(__doc__, "staff_shortage", extra=lambda p: p.add_argument(
        "--growth", nargs="+", type=float, default=[0.015, 0.0, -0.02, -0.04],
        help="values of labour_market.supply_growth (1/year)"))
    variants = {f"supply growth {g:+.1%}/year": ("baseline", {"labour_market.supply_growth": g}) for g in args.growth}
    runs = experiment.run_variants(variants, INDICATORS, scale=args.scale, years=args.years,
                                   replications=args.replications, seed=args.seed, workers=args.workers)
    s = experiment.summary(runs, INDICATORS, args.scale)
    years = experiment.report_years(args.years, (2025, 2030))
    table = experiment.at_years(s, years, INDICATORS[:5])
    report = experiment.header(
        "Staff shortage", args,
        "New entrants to the regional care labour market grow or shrink by the given rate a year; providers "
        "hire from that pool. Waits (weeks from indication to a place, and from request to investigation), "
        "the waiting list, unmet need (persons waiting at some month's end) and escalations while waiting.") \
        + "\n" + table.T.to_markdown() + "\n"
    figures = {"staff_shortage": experiment.lines(s, INDICATORS, "Staff shortage: supply growth variants")}
    experiment.write(args.out, "staff_shortage", runs, s, figures, report)


if __name__ == "__main__":
    main()
