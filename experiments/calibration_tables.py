"""Regenerate the calibration tables of the model description from a model run.

    python experiments/calibration_tables.py [--seed 1] [--scale 0.2]

Runs the baseline 2016-2050 (and 2017 at --budget-scale for the budget lines) and rewrites the
blocks between ``<!-- begin calibration: NAME -->`` and ``<!-- end calibration: NAME -->`` in
docs/odd/calibration.md, so the figures there are those of the current code. The prose around
the blocks says how each figure was calibrated; it quotes no numbers that the tables hold.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from budget_2017 import comparison
from simulation import SocialDomainModel
from simulation.calibration import rewrite_blocks

PAGE = Path(__file__).resolve().parent.parent / "docs" / "odd" / "calibration.md"
YEARS = [2016, 2020, 2024, 2030, 2035, 2040, 2045, 2050]


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _count(x: float) -> str:
    return f"{x:,.0f}"


def _markdown(df: pd.DataFrame) -> str:
    header = "| " + " | ".join(df.columns) + " |\n|" + "---|" * len(df.columns) + "\n"
    return header + "".join("| " + " | ".join(str(v) for v in row) + " |\n" for row in df.itertuples(index=False))


def tables(seed: int, scale: float, budget_scale: float) -> dict[str, str]:
    model = SocialDomainModel("baseline", rng=seed, scale=scale)
    model.run()
    t = model.yearly().query("area == 'total'").set_index("year")
    run = f"Baseline, seed {seed}, scale {scale} (model counts; money divided by the scale)."
    y = t.loc[YEARS]
    demography = pd.DataFrame({
        "year": YEARS, "population": y.population.map(_count), "households": y.households.map(_count),
        "household size": y.household_size.map("{:.2f}".format), "65+": y.share_65_plus.map(_pct),
        "80+": y.share_80_plus.map(_pct), "85+": y.share_85_plus.map(_pct),
        "50-74 per 85+": y.potential_carer_ratio.map("{:.1f}".format), "births": y.births.map(_count),
        "deaths": y.deaths.map(_count), "immigrants": y.immigrants.map(_count), "emigrants": y.emigrants.map(_count)})
    early = t.loc[2016:2022]
    social = pd.DataFrame({
        "year": early.index, "informal share": early.informal_share.map("{:.3f}".format),
        "Wmo clients per 1,000": early.wmo_clients_per_1000.map("{:.1f}".format),
        "youth care, share of 0-17": (early.youth_care_clients_0_17 / early.pop_0_17).map(_pct),
        "carers, share of 20+": early.carer_share_20_plus.map(_pct),
        "heavily burdened": early.heavily_burdened_share.map(_pct),
        "waiting list (1 Jan)": early.waiting_list.map(_count),
        "provider wait (weeks)": early.provider_wait_weeks_mean.map("{:.1f}".format),
        "staff (FTE)": early.staff_fte.map("{:.1f}".format), "vacancies (FTE)": early.staff_vacancies.map("{:.1f}".format)})
    trends = pd.DataFrame({
        "year": YEARS, "informal share": y.informal_share.map("{:.3f}".format), "requests": y.requests.map(_count),
        "Wmo clients per 1,000": y.wmo_clients_per_1000.map("{:.1f}".format),
        "carers, share of 20+": y.carer_share_20_plus.map(_pct), "heavily burdened": y.heavily_burdened_share.map(_pct),
        "carer dropouts": y.carer_dropouts.map(_count), "escalations_while_waiting": y.escalations_while_waiting.map(_count),
        "access wait (weeks)": y.access_wait_weeks_mean.map("{:.2f}".format),
        "within 6 weeks": y.access_within_6_weeks_share.map("{:.2f}".format)})
    meur = lambda s: (s / scale / 1e6).map("{:.1f}".format)  # noqa: E731
    money = pd.DataFrame({
        "year": YEARS, "waiting list": y.waiting_list.map(_count),
        "provider wait (weeks)": y.provider_wait_weeks_mean.map("{:.1f}".format),
        "staff (FTE)": y.staff_fte.map("{:.0f}".format),
        "staff wanted (FTE)": (y.staff_fte + y.staff_vacancies).map("{:.0f}".format),
        "cost / budget": (y.cost_total_eur / y.budget_eur).map("{:.2f}".format),
        "prevention spend (EUR M)": meur(y.prevention_spend_eur),
        "contractors' surplus (EUR M)": meur(y.provider_surplus_eur), "reserve, 31 Dec (EUR M)": meur(y.reserve_end_eur)})
    budget = comparison(seed, budget_scale, 1).reset_index(names="budget line")
    budget.columns = ["budget line", "model cost (EUR M)", "budget (EUR M)", "ratio"]
    return {"demography": run + "\n\n" + _markdown(demography),
            "social": run + "\n\n" + _markdown(social),
            "trends": run + "\n\n" + _markdown(trends),
            "money": run + "\n\n" + _markdown(money),
            "budget": f"Baseline 2017, seed {seed}, scale {budget_scale} (costs divided by the scale).\n\n"
                      + _markdown(budget)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=0.2)
    parser.add_argument("--budget-scale", type=float, default=0.5)
    args = parser.parse_args()
    PAGE.write_text(rewrite_blocks(PAGE.read_text(), tables(args.seed, args.scale, args.budget_scale), PAGE))
    print(f"wrote {PAGE}")


if __name__ == "__main__":
    main()
