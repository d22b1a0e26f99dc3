"""The plot library: figures from results tables, labels, bands, the sample note, saving."""

import importlib.util
import json
import sys

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure

from conftest import SMALL
from simulation import Scenario, SocialDomainModel, plots
from simulation.cli import main
from simulation.outputs import TOTAL
from simulation.runner import write_parquet


@pytest.fixture(scope="module")
def two_replications(small_run):
    """The shared 5% run and a second replication of it (another seed)."""
    other = SocialDomainModel(rng=8, replication=1, **SMALL)
    other.run()
    return pd.concat([small_run.yearly(), other.yearly()], ignore_index=True)


SAMPLE = plots.RunInfo("baseline", scale=0.05, policy_years=(2019,), cost_inflation=0.025)


def texts(fig: Figure) -> str:
    """Every text a figure shows: titles, captions, axis labels, tick and legend labels."""
    found = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    return "\n".join(found)


def test_importing_the_plot_library_leaves_the_backend_alone(monkeypatch):
    before = matplotlib.get_backend()
    matplotlib.use("svg")
    try:  # a fresh copy of the module, executed as an import would (the tests keep theirs)
        spec = importlib.util.spec_from_file_location("simulation._plots_again", plots.__file__)
        module = importlib.util.module_from_spec(spec)
        monkeypatch.setitem(sys.modules, spec.name, module)
        spec.loader.exec_module(module)
        assert matplotlib.get_backend() == "svg"
    finally:
        matplotlib.use(before)


@pytest.mark.parametrize("name", list(plots.STANDARD))
def test_every_standard_figure_is_a_figure_with_data_and_the_sample_noted(small_yearly, name):
    fig = plots.STANDARD[name](small_yearly, SAMPLE)
    assert isinstance(fig, Figure)
    drawn = [ax for ax in fig.axes if ax.lines or ax.collections]
    assert len(drawn) >= 2
    assert "5% sample" in fig._suptitle.get_text()
    assert "Source: socialsim simulation, scenario 'baseline'" in texts(fig)


def test_a_full_scale_run_has_no_sample_note(small_yearly):
    fig = plots.waits(small_yearly, plots.RunInfo("baseline", scale=1.0))
    assert "sample" not in texts(fig)


def test_informal_share_has_a_panel_per_area_and_the_municipality_against_40_percent(small_yearly):
    fig = plots.informal_share(small_yearly)
    areas = sorted(set(small_yearly.area) - {TOTAL})
    titles = [ax.get_title() for ax in fig.axes if ax.lines]
    assert sorted(titles) == sorted(areas + ["municipality"])
    for ax in fig.axes:
        if ax.lines:
            assert any(np.allclose(line.get_ydata(), 40) for line in ax.lines)


def test_an_informal_share_variant_in_the_table_gets_a_line_of_its_own(small_yearly):
    bare = small_yearly.drop(columns=[c for c in small_yearly.columns if c.startswith("informal_share_")])
    plain = plots.informal_share(bare)
    with_variant = plots.informal_share(bare.assign(informal_share_durable=small_yearly.informal_share_durable))
    assert len(with_variant.axes[0].lines) == len(plain.axes[0].lines) + 1
    assert "durable" in texts(with_variant) and "durable" not in texts(plain)


def test_the_model_tables_variants_are_all_drawn(small_yearly):
    shown = texts(plots.informal_share(small_yearly))
    assert "informal share" in shown and "via the access team" in shown and "durable" in shown


def test_dutch_labels_with_lang_nl(small_yearly):
    fig = plots.informal_share(small_yearly, SAMPLE, lang="nl")
    shown = texts(fig)
    assert "Hulpvragen informeel opgelost" in shown and "gemeente" in shown and "steekproef van 5%" in shown
    assert "Help requests" not in shown


def test_an_unknown_language_is_one_clear_error(small_yearly):
    with pytest.raises(plots.PlotError, match="lang = 'de': must be one of en, nl"):
        plots.money(small_yearly, lang="de")


def test_replications_give_bands_and_a_single_run_none(small_yearly, two_replications):
    def bands(fig):
        return sum(isinstance(c, PolyCollection) for ax in fig.axes for c in ax.collections)
    assert bands(plots.carers(small_yearly)) == 0
    assert bands(plots.carers(two_replications)) > 0
    assert "band: 5-95% of 2 replications" in texts(plots.carers(two_replications))


def test_ratios_across_replications_come_from_the_summed_counts(small_yearly, two_replications):
    one = plots.summarise(small_yearly, "informal_share", [TOTAL]).set_index("year").center
    table = small_yearly[small_yearly.area == TOTAL].set_index("year").informal_share
    pd.testing.assert_series_equal(one, table, check_names=False)  # the tables' own definition
    both = plots.summarise(two_replications, "informal_share", [TOTAL]).set_index("year")
    sums = two_replications[two_replications.area == TOTAL].groupby("year")[["solved_informally", "resolved"]].sum()
    np.testing.assert_allclose(both.center, sums.solved_informally / sums.resolved)
    assert (both.lo <= both.hi).all()


@pytest.mark.parametrize("column", list(plots.RATIOS))
def test_every_ratio_matches_the_tables_definition(small_yearly, column):
    ours = plots.summarise(small_yearly, column).center.to_numpy()
    theirs = small_yearly.sort_values(["area", "year"], kind="stable")[column].to_numpy()
    np.testing.assert_allclose(ours, theirs, equal_nan=True)


def test_policy_years_are_marked_with_dotted_lines(small_yearly):
    fig = plots.staff(small_yearly, SAMPLE)
    marks = [line for line in fig.axes[0].lines if line.get_linestyle() == ":"]
    assert [m.get_xdata()[0] for m in marks] == [2019]
    assert "policy changes" in texts(fig)


def test_cost_in_constant_prices_is_deflated_by_the_runs_own_price_index(small_yearly):
    both = plots.money(small_yearly, SAMPLE)
    nominal_only = plots.money(small_yearly.drop(columns="price_index"), SAMPLE)
    assert "2023 prices" in texts(both) and "2023 prices" not in texts(nominal_only)
    solid, dashed = ([line for line in both.axes[0].lines if line.get_linestyle() == style] for style in ("-", "--"))
    assert len(solid) == len(dashed) > 0
    index = small_yearly.groupby("year").price_index.first()
    for nominal, real in zip(solid, dashed):
        years = np.asarray(real.get_xdata())
        # the observed CPI path, not a flat rate: the real line is the nominal one over that year's index
        assert np.allclose(np.asarray(real.get_ydata()), np.asarray(nominal.get_ydata()) / index.loc[years].to_numpy())


def test_run_info_from_a_scenario_and_a_model(small_run):
    scenario = Scenario.load("ambition_40").with_values({"run.scale": 0.1})
    info = plots.RunInfo.of(scenario)
    assert (info.scenario, info.scale, info.policy_years) == ("ambition_40", 0.1, (2017, 2019))
    assert plots.RunInfo.of(small_run).scale == SMALL["scale"]
    assert plots.RunInfo.of({"scenario": scenario.model_dump(mode="json")}) == info


def test_differences_of_identical_runs_are_zero_and_unpaired_runs_refused(two_replications):
    fig = plots.differences(two_replications, two_replications, SAMPLE)
    means = [ax.lines[0].get_ydata() for ax in fig.axes if ax.lines]
    assert len(means) == len(plots.DIFFERENCES)
    assert all(np.allclose(m, 0) for m in means)
    assert "paired replications" in texts(fig)
    with pytest.raises(plots.PlotError, match="same --seed"):
        plots.differences(two_replications, two_replications[two_replications.replication == 0])


def results_folder(folder, yearly, scale=SMALL["scale"]):
    scenario = Scenario.load("baseline").with_values({"run.scale": scale, "run.end_year": SMALL["end_year"]})
    write_parquet(yearly, folder / "yearly.parquet", {"scenario": scenario.model_dump(mode="json")})
    (folder / "manifest.json").write_text(json.dumps({"scenario": scenario.model_dump(mode="json")}))


@pytest.fixture(scope="module")
def plotted(small_run, tmp_path_factory):
    """A run's results folder with its yearly and monthly tables, after ``socialsim plot``
    (drawing the whole set costs seconds: the tests that read it share it)."""
    folder = tmp_path_factory.mktemp("plotted")
    results_folder(folder, small_run.yearly())
    write_parquet(small_run.monthly(), folder / "monthly.parquet", {})
    assert main(["plot", str(folder)]) == 0
    return folder / "figures"


def test_socialsim_plot_writes_the_standard_set_as_png_and_svg(plotted):
    written = sorted(p.name for p in plotted.iterdir())
    assert written == sorted(f"{name}.{fmt}" for name in [*plots.STANDARD, "queues"] for fmt in ("png", "svg"))
    assert all((plotted / name).stat().st_size > 10_000 for name in written)
    assert "5% sample" in (plotted / "waits.svg").read_text()


def test_the_same_figure_saves_to_the_same_bytes(plotted, tmp_path):
    """A standard figure, drawn again and saved as ``socialsim plot`` saves it (PNG, then
    SVG), gives the bytes that command wrote."""
    yearly, info = plots.load_results(plotted.parent)
    fig = plots.ageing(yearly, info)
    for fmt in ("png", "svg"):
        assert plots.save(fig, tmp_path / f"ageing.{fmt}").read_bytes() == (plotted / f"ageing.{fmt}").read_bytes()


# The next tests hold what `socialsim plot` does with its options and folders, not the figures
# (each is drawn and saved above): they draw two standard figures instead of the whole set
FEW = {name: plots.STANDARD[name] for name in ("waits", "money")}


def test_socialsim_plot_in_dutch_and_one_format(small_yearly, tmp_path, monkeypatch):
    """(Without a monthly table, no queues.)"""
    monkeypatch.setattr(plots, "STANDARD", FEW)
    results_folder(tmp_path, small_yearly)
    assert main(["plot", str(tmp_path), "--lang", "nl", "--format", "svg"]) == 0
    written = sorted(p.name for p in (tmp_path / "figures").iterdir())
    assert written == sorted(f"{name}_nl.svg" for name in FEW)
    assert "Wachttijden" in (tmp_path / "figures" / "waits_nl.svg").read_text()


def test_socialsim_plot_of_a_compare_folder_adds_the_fan_chart(two_replications, tmp_path, monkeypatch):
    monkeypatch.setattr(plots, "STANDARD", FEW)
    for sub in ("base", "scenario"):
        (tmp_path / sub).mkdir()
        results_folder(tmp_path / sub, two_replications)
    assert main(["plot", str(tmp_path), "--format", "svg"]) == 0
    written = sorted(p.name for p in (tmp_path / "figures").iterdir())
    assert written == sorted(["differences.svg"] + [f"{run}_{name}.svg" for run in ("base", "scenario") for name in FEW])
    assert "paired replications" in (tmp_path / "figures" / "differences.svg").read_text()


@pytest.mark.parametrize("args, message", [
    (["--format", "gif"], "--format 'gif': must be one of png, svg, pdf"),
    (["--lang", "fr"], "lang = 'fr': must be one of en, nl"),
])
def test_socialsim_plot_rejects_bad_options_in_one_line(small_yearly, tmp_path, capsys, args, message):
    results_folder(tmp_path, small_yearly)
    assert main(["plot", str(tmp_path), *args]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"socialsim: error: {message}"


def test_socialsim_plot_of_a_folder_without_results_says_so(tmp_path, capsys):
    assert main(["plot", str(tmp_path)]) == 2
    assert "no yearly.parquet here" in capsys.readouterr().err


def test_the_pyramid_puts_men_left_and_women_right(small_run):
    from simulation.analysis import population_frame

    people = population_frame(small_run)
    fig = plots.pyramid(people, small_run)
    bars = fig.axes[0].patches
    men, women = [b.get_width() for b in bars if b.get_width() < 0], [b.get_width() for b in bars if b.get_width() > 0]
    assert -sum(men) == (people.sex == "male").sum() and sum(women) == (people.sex == "female").sum()
    assert f"{small_run.now // 12}-01-01" in fig._suptitle.get_text() and "5% sample" in fig._suptitle.get_text()


def test_figures_show_themselves_in_a_notebook_as_png(small_yearly):
    assert plots.waits(small_yearly)._repr_png_().startswith(b"\x89PNG")


def test_queues_month_by_month_against_the_6_week_norm(small_monthly):
    fig = plots.queues(small_monthly, SAMPLE)
    left, right = fig.axes
    months = small_monthly.query("area == 'total'")
    assert len(left.lines[0].get_xdata()) == len(months)  # one point a month
    np.testing.assert_allclose(left.lines[0].get_ydata(), months.requests_pending)
    assert any(np.allclose(line.get_ydata(), 6) for line in right.lines)


def test_any_column_per_area_with_its_unit_and_a_reference(small_yearly):
    fig = plots.indicator(small_yearly, "wmo_clients_per_1000", reference=72)
    ax = fig.axes[0]
    assert "per 1,000 residents" in ax.get_ylabel()
    assert len([line for line in ax.lines if line.get_label() in set(small_yearly.area) | {"municipality"}]) == 7
    assert any(np.allclose(line.get_ydata(), 72) for line in ax.lines)


def test_socialsim_plot_adds_the_queues_when_the_monthly_table_is_there(plotted):
    assert "Queues month by month" in (plotted / "queues.svg").read_text()
