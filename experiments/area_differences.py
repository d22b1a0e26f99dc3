"""Which differences between the areas exceed the noise of the simulation (docs/areas.md).

    python experiments/area_differences.py [--seeds 5] [--scale 0.25] [--workers 2] [--out docs/areas.md]
                                           [--compare-areas OTHER_AREAS.csv]

Runs the baseline with the same seeds, takes each area's indicators over 2021-2025 and compares
each area with the municipality seed by seed (paired: the same seed gives both). A difference
"exceeds the seed spread" when its 95% interval over the seeds (Student t) leaves out zero.
Writes the Markdown page with the data set's area table and the village/district mapping.
With ``--compare-areas`` it also runs the same seeds on the data set with another areas file
(e.g. the earlier assumed shares: ``git show 98f9d38:simulation/data/emmen/areas.csv``) and adds
the paired difference the data set's areas make, per area and for the municipality.
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from simulation.dataset import Dataset
from simulation.experiment import run_points
from simulation.scenario import Scenario

FIRST, LAST = 2021, 2025
# indicator: (numerator, denominator, factor) summed over FIRST..LAST, so a ratio of totals
INDICATORS = {
    "share_65_plus": ("pop_65_plus", "population", 1.0),
    "informal_share": ("solved_informally", "resolved", 1.0),
    "wmo_clients_per_1000": ("wmo_clients", "population", 1000.0),
    "waiting_list_per_1000": ("waiting_list", "population", 1000.0),
    "carer_share_20_plus": ("carers", "pop_20_plus", 1.0),
    "one_person_households": ("hh_single", "households", 1.0),
    "household_size": ("population", "households", 1.0),
}
LABELS = {
    "share_65_plus": "65+ share", "informal_share": "informal share", "wmo_clients_per_1000": "Wmo clients per 1,000",
    "waiting_list_per_1000": "waiting list per 1,000", "carer_share_20_plus": "carers per adult 20+",
    "one_person_households": "one-person households", "household_size": "persons per household",
}


def run(seeds: int, scale: float, workers: int = 1, dataset: str = "emmen") -> pd.DataFrame:
    """Per seed and area (and 'total'): each indicator over FIRST..LAST."""
    scenario = Scenario.load("baseline").with_values({"run.scale": scale, "run.end_year": LAST, "run.dataset": dataset})
    counts = list(dict.fromkeys(c for num, den, _ in INDICATORS.values() for c in (num, den)))
    runs: list[pd.DataFrame] = []
    run_points([{}], list(range(1, seeds + 1)), scenario, counts, lambda _, table: runs.append(table), workers=workers)
    period = runs[0].query(f"{FIRST} <= year <= {LAST}")
    sums = period.groupby(["seed", "area"], sort=False)[counts].sum()
    values = {name: sums[num] / sums[den] * factor for name, (num, den, factor) in INDICATORS.items()}
    return pd.DataFrame(values).reset_index()


def interval(values: np.ndarray) -> tuple[float, float]:
    """Mean and the half-width of its 95% interval over the seeds."""
    n = len(values)
    return float(values.mean()), float(stats.t.ppf(0.975, n - 1) * values.std(ddof=1) / np.sqrt(n))


def _fmt(name: str, value: float) -> str:
    if name == "household_size":
        return f"{value:.2f}"
    return f"{value:.1f}" if name.endswith("1000") else f"{100 * value:.1f}%"


def _fmt_diff(name: str, value: float) -> str:
    if name == "household_size":
        return f"{value:+.2f}"
    return f"{value:+.1f}" if name.endswith("1000") else f"{100 * value:+.1f} pt"


def compare(per_seed: pd.DataFrame, areas: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per area and indicator: mean ± interval, and the paired difference from the municipality;
    per pair of areas: the paired difference of each indicator."""
    wide = per_seed.set_index(["seed", "area"])
    rows, pairs = [], []
    for name in INDICATORS:
        table = wide[name].unstack("area")
        for area in [*areas, "total"]:
            mean, half = interval(table[area].to_numpy())
            d_mean, d_half = interval((table[area] - table["total"]).to_numpy())
            rows.append({"area": area, "indicator": name, "mean": mean, "half": half, "diff": d_mean,
                         "diff_half": d_half, "exceeds": area != "total" and abs(d_mean) > d_half})
        for a, b in itertools.combinations(areas, 2):
            d_mean, d_half = interval((table[a] - table[b]).to_numpy())
            pairs.append({"indicator": name, "a": a, "b": b, "diff": d_mean, "half": d_half, "exceeds": abs(d_mean) > d_half})
    return pd.DataFrame(rows), pd.DataFrame(pairs)


def with_areas(per_seed: pd.DataFrame, other: pd.DataFrame, areas: list[str]) -> pd.DataFrame:
    """Per area (and 'total') and indicator: the mean with the other areas file, with the data
    set's, and their paired difference (same seed) with the half-width of its 95% interval."""
    mine, theirs = per_seed.set_index(["seed", "area"]), other.set_index(["seed", "area"])
    rows = []
    for area in [*areas, "total"]:
        for name in INDICATORS:
            a, b = theirs[name].xs(area, level="area"), mine[name].xs(area, level="area")
            d_mean, d_half = interval((b - a).to_numpy())
            rows.append({"area": area, "indicator": name, "other": a.mean(), "data": b.mean(), "diff": d_mean,
                         "diff_half": d_half, "exceeds": abs(d_mean) > d_half})
    return pd.DataFrame(rows)


def changed_lines(changed: pd.DataFrame, other_file: str, seeds: int, scale: float) -> list[str]:
    """The section on what the data set's areas change against another areas file."""
    lines = ["## What the data set's areas change (paired seeds)", "",
             f"The same seeds (1-{seeds}, scale {scale}) run with the data set's `areas.csv` and with `{other_file}` "
             "(the earlier assumed 65+ shares: 24.0%, 26.5%, 25.0%, 25.5%, 23.5%, 19.5%, and no persons per household, "
             f"so the same for every area; the same residents and cohesion indices). Each cell: mean with that file → mean with the data set, {FIRST}-{LAST}; below it "
             "the paired difference (same seed) ± the half-width of its 95% interval; **bold** where that interval "
             "leaves out zero.", "",
             "| area | " + " | ".join(LABELS[n] for n in INDICATORS) + " |",
             "|---|" + "---:|" * len(INDICATORS)]
    for area, rows in changed.groupby("area", sort=False):
        cells = []
        for r in rows.itertuples():
            diff = f"{_fmt_diff(r.indicator, r.diff)} ± {_fmt(r.indicator, r.diff_half).rstrip('%')}"
            cells.append(f"{_fmt(r.indicator, r.other)} → {_fmt(r.indicator, r.data)}<br>"
                         + (f"**{diff}**" if r.exceeds else diff))
        lines.append(f"| {'municipality' if area == 'total' else area} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def markdown(result: pd.DataFrame, pairs: pd.DataFrame, ds: Dataset, seeds: int, scale: float, options: str = "") -> str:
    areas = ds.area_names
    cohesion = dict(zip(areas, 0.5 * ds.area_cohesion_index))
    data = ds.areas.assign(share=ds.area_shares)
    places = ds.area_places.groupby("area", sort=False)
    lines = [
        "# Areas that differ",
        "",
        "Generated by `python experiments/area_differences.py"
        f" --seeds {seeds} --scale {scale}{options}` (baseline scenario; do not edit by hand).",
        "",
        "## What the data set gives each area",
        "",
        "The six areas of the policy plan (2016) are made of villages and districts "
        "(`simulation/data/emmen/area_places.csv`, which says for each how it was assigned: *named* by a source, "
        "by *population* totals, or by *position*). The figures per area are sums over the municipality's 29 "
        "four-digit postcodes (PC4, `area_postcodes.csv`): residents and residents aged 65+ on 1 January 2021 "
        "(CBS 83502NED, the same table as the municipality's age-sex structure) and households with persons per "
        "household (CBS Kerncijfers per postcode, 2018). A village's postcode takes the village's area; the town's "
        "postcodes, which the source does not name by district, take Emmen-Noord, -Oost or -Zuid by their direction "
        "from the town centre (PC4 7811), a rule that reproduces the municipality's own residents per area within "
        "3.4%. The model uses the residents per area (the municipality's, `population_2020`), the 65+ shares and "
        "the persons per household (each relative to the municipality's, applied to the start year's: the synthesis "
        "places households so that each area meets all three in expectation). **The cohesion "
        "indices are documented assumptions** (no cohesion figure or proxy per area was found, see below): an "
        "area's cohesion is `network.cohesion` (0.5) times its index (rescaled to a resident-weighted mean of 1).",
        "",
        "| area | villages and districts | residents (municipality, 2020) | residents (CBS PC4, 2021) | share of residents "
        "| 65+ share (CBS, 2021) | persons per household (CBS, 2018) | cohesion at network.cohesion 0.5 (assumption) |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for _, row in data.iterrows():
        where = ", ".join(places.get_group(row["area"])["place"]) if row["area"] in places.groups else ""
        lines.append(f"| {row['area']} | {where} | {row['population_2020']:,.0f} | {row['residents_2021']:,.0f} "
                     f"| {100 * row['share']:.1f}% | {100 * row['share_65_plus']:.1f}% | {row['household_size']:.2f} "
                     f"| {cohesion[row['area']]:.2f} |")
    lines += [
        "",
        "## Simulated differences and the noise",
        "",
        f"Baseline at scale {scale} (about {int(round(scale * data.population_2020.sum(), -3)):,} residents), seeds 1-{seeds}, "
        f"indicators over {FIRST}-{LAST} as ratios of the period's totals (`informal_share` = requests solved "
        "informally / resolved requests; per 1,000 = yearly count / residents; carers = narrow-definition carers / "
        "residents 20+). Each cell: mean over the seeds ± the half-width of its 95% interval (percentage points for "
        "shares; Student t, "
        f"{seeds - 1} degrees of freedom); below it the paired difference from the municipality (same seed). "
        "**Bold**: the difference's 95% interval leaves out zero, i.e. it exceeds the seed-to-seed spread.",
        "",
        "| area | " + " | ".join(LABELS[n] for n in INDICATORS) + " |",
        "|---|" + "---:|" * len(INDICATORS),
    ]
    for area in [*areas, "total"]:
        cells = []
        for name in INDICATORS:
            r = result[(result.area == area) & (result.indicator == name)].iloc[0]
            cell = f"{_fmt(name, r['mean'])} ± {_fmt(name, r['half']).rstrip('%')}"
            if area != "total":
                diff = f"{_fmt_diff(name, r['diff'])} ± {_fmt(name, r['diff_half']).rstrip('%')}"
                cell += "<br>" + (f"**{diff}**" if r["exceeds"] else diff)
            cells.append(cell)
        lines.append(f"| {'municipality' if area == 'total' else area} | " + " | ".join(cells) + " |")
    lines += ["", "### Pairs of areas", "",
              "Paired differences between two areas (same seed) whose 95% interval leaves out zero, per indicator "
              f"(of {len(areas) * (len(areas) - 1) // 2} pairs):", ""]
    for name in INDICATORS:
        sig = pairs[(pairs.indicator == name) & pairs.exceeds]
        listed = "; ".join(f"{r.a} − {r.b} {_fmt_diff(name, r.diff)}" for r in sig.itertuples()) or "none"
        lines.append(f"- **{LABELS[name]}** ({len(sig)}): {listed}")
    lines += ["", "## Reading it", "",
              "With five seeds an interval is wide and about one true-zero difference in twenty is flagged by chance "
              "(more when many cells are read at once). A difference that is not flagged is not shown to be absent, "
              "only not distinguishable from the noise of this many seeds at this scale. The areas differ by "
              "construction in age structure, household size and neighbour cohesion only; everything else (carers, "
              "use of support, waiting) follows from those three through the model's mechanisms. The age and "
              "household differences are set at the start (relative to the municipality's figures then) and no "
              "process maintains them: ageing in "
              "place, moves between areas and in-migrants, who copy households from every area, change them over "
              "the years, so compare the 65+ and household columns with the data's ranking rather than their "
              "levels.", "",
              "## Where the figures come from and what was searched", "",
              "The postcode counts were read from two R packages of Certe Medical Epidemiology that ship CBS tables "
              "(certegis, commit 53de1e1: residents by age and postcode on 1 January 2021, the postcodes' "
              "municipality and place, PC4 polygons; certedata, commit d4bdea2: households per postcode 2018); each "
              "file's `# source:` lines give the CBS table, date and file. CBS's per-district table (Kerncijfers "
              "wijken en buurten, 84799NED for 2020) with its district names, household types and income was not "
              "found in a readable copy: public repositories hold code that downloads it, test fixtures with made-up "
              "Emmen rows and maps of other municipalities, and the stored CBS web pages show only the first "
              "municipalities of the table. No cohesion measure per area or district was found either: the stored "
              "pages of Trendbureau Drenthe and the GGD give loneliness and social contacts per municipality only; "
              "RIVM's estimates of loneliness per district and neighbourhood (Gezondheidsmonitor 2022, RIVM StatLine) "
              "exist but no copy was reachable; no Leefbaarometer scores for Emmen's districts were found. The "
              "cohesion index stays an assumption ranked by the findings in `areas.csv`'s notes. Income per area is "
              "not in the data set.", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--scale", type=float, default=0.25)
    parser.add_argument("--workers", type=int, default=1, help="processes running the seeds (default 1)")
    parser.add_argument("--out", type=Path, default=Path("docs/areas.md"))
    parser.add_argument("--compare-areas", type=Path, metavar="FILE",
                        help="another areas.csv to run the same seeds with (the paired difference is added to the page)")
    args = parser.parse_args()
    ds = Dataset.load("emmen")
    per_seed = run(args.seeds, args.scale, args.workers)
    result, pairs = compare(per_seed, ds.area_names)
    options = f" --compare-areas {args.compare_areas.name}" if args.compare_areas else ""
    page = markdown(result, pairs, ds, args.seeds, args.scale, options)
    if args.compare_areas:
        with tempfile.TemporaryDirectory() as tmp:
            other = Path(tmp) / ds.path.name
            shutil.copytree(ds.path, other)
            shutil.copy(args.compare_areas, other / ds.meta["files"]["areas"])
            changed = with_areas(per_seed, run(args.seeds, args.scale, args.workers, str(other)), ds.area_names)
        head, sep, tail = page.partition("## Reading it")
        page = head + "\n".join(changed_lines(changed, args.compare_areas.name, args.seeds, args.scale)) + "\n" + sep + tail
    args.out.write_text(page)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
