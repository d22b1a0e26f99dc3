"""The workshop dashboard without a browser: levers -> scenario -> run -> page state, the area
map and the texts. The browser itself is in test_dashboard_browser.py."""

from __future__ import annotations

import io
import time

import ipyvuetify as v
import ipywidgets
import numpy as np
import pandas as pd
import pytest
import solara
from matplotlib.patches import Polygon

from simulation.dashboard import app, assets, workshop
from simulation.dashboard.areamap import LAYOUTS, MAP_INDICATORS, area_map
from simulation.dashboard.texts import LANGUAGES, TEXTS, number, text
from simulation.dataset import Dataset
from simulation.random_streams import replication_seed
from simulation.runner import run
from simulation.scenario import Scenario, ScenarioError

QUICK = dict(scale=0.02, end_year=2019)


@pytest.fixture(scope="module")
def quick_runs():
    """Two replications of the baseline and of the same with the access team trying informal
    support first for every request; the same seeds."""
    base = workshop.workshop_scenario("baseline", **QUICK)
    informal = workshop.workshop_scenario("baseline", {"access_team.informal_first": 1.0}, **QUICK)
    return base, workshop.run_workshop(base, 2), workshop.run_workshop(informal, 2)


def test_the_named_scenarios_can_be_chosen():
    assert {"baseline", "ambition_40", "staff_shortage"} <= set(workshop.scenario_names())


def test_levers_are_scenario_parameters_with_workshop_ranges_inside_the_allowed_ones():
    defaults = workshop.lever_values(Scenario())
    for lever in workshop.LEVERS:
        info = lever.info
        if lever.choices:
            assert set(lever.choices) == set(info.annotation.__args__)
            continue
        bounds = {k: getattr(m, k) for m in info.metadata for k in ("ge", "le") if hasattr(m, k)}
        assert bounds["ge"] <= lever.low < lever.high <= bounds["le"], lever.key
        assert lever.low <= defaults[lever.key] <= lever.high, lever.key
        assert lever.from_slider(lever.to_slider(defaults[lever.key])) == pytest.approx(defaults[lever.key])


def test_a_moved_lever_applies_from_the_start_and_replaces_the_scenarios_dated_changes():
    ambition = Scenario.load("ambition_40")
    assert workshop.lever_timeline(ambition, "access_team.informal_first") == [(2017, 0.7), (2019, 0.9)]
    moved = workshop.with_levers(ambition, {"access_team.informal_first": 0.6})
    assert moved.access_team.informal_first == 0.6
    assert workshop.lever_timeline(moved, "access_team.informal_first") == []
    # the scenario's other dated changes stay
    assert workshop.lever_timeline(moved, "informal_care.respite_uptake") == [(2017, 0.2)]
    kept = workshop.with_levers(ambition, {"access_team.informal_first": 0.5})  # its start value: not moved
    assert kept == ambition


def test_a_lever_outside_the_parameters_range_or_unknown_is_refused_by_name():
    with pytest.raises(ScenarioError, match="access_team.staff_multiplier"):
        workshop.with_levers(Scenario(), {"access_team.staff_multiplier": -1.0})
    with pytest.raises(ScenarioError, match="not a workshop lever"):
        workshop.with_levers(Scenario(), {"needs.onset_multiplier": 2.0})


def test_workshop_run_has_every_replication_year_and_area_with_paired_seeds(quick_runs):
    base, yearly, informal = quick_runs
    areas = Dataset.load("emmen").area_names
    assert len(yearly) == 2 * (2019 - 2016 + 1) * (len(areas) + 1)
    assert list(yearly.seed.unique()) == [replication_seed(1, 0), replication_seed(1, 1)]
    assert list(informal.seed.unique()) == list(yearly.seed.unique())
    assert set(yearly.area) == set(areas) | {"total"}
    again = workshop.run_workshop(base, 2)
    pd.testing.assert_frame_equal(yearly, again)


def test_a_workshop_run_is_the_same_as_socialsim_run_with_its_seeds(quick_runs, tmp_path):
    base, yearly, _ = quick_runs
    run(base, tmp_path, seed=1, replications=2, figure=False, quiet=True)
    written = pd.read_parquet(tmp_path / "yearly.parquet")
    pd.testing.assert_frame_equal(yearly[written.columns], written, check_dtype=False)


def test_informal_first_for_every_request_raises_the_informal_share(quick_runs):
    _, yearly, informal = quick_runs
    total = lambda t: t[t.area == "total"][["solved_informally", "resolved"]].sum()  # noqa: E731
    before, after = total(yearly), total(informal)
    assert after.solved_informally / after.resolved > before.solved_informally / before.resolved


def test_csv_download_holds_the_table_and_the_sample_scale(quick_runs):
    base, yearly, _ = quick_runs
    back = pd.read_csv(io.BytesIO(workshop.results_csv(yearly, base)))
    assert len(back) == len(yearly)
    assert (back.scale == 0.02).all()
    np.testing.assert_allclose(back.informal_share, yearly.informal_share)
    assert workshop.csv_filename(base) == "socialsim_baseline_scale0.02_2016-2019.csv"


def test_area_map_colours_each_area_by_its_value(quick_runs):
    _, yearly, _ = quick_runs
    fig = area_map(yearly, "unmet_need_per_1000", 2019)
    patches = [p for p in fig.axes[0].patches if isinstance(p, Polygon)]
    assert len(patches) == len(LAYOUTS["emmen"])
    row = yearly[(yearly.year == 2019) & (yearly.area != "total")]
    values = row.groupby("area", sort=False).unmet_need_per_1000.mean()
    # darker (lower luminance) where the value is higher
    luminance = [sum(p.get_facecolor()[:3]) for p in patches]
    by_area = dict(zip([a for a in pd.unique(yearly.area) if a != "total"], luminance))
    assert by_area[values.idxmax()] < by_area[values.idxmin()]
    with pytest.raises(ValueError, match="indicator = 'cost'"):
        area_map(yearly, "cost", 2019)


def test_every_text_and_map_indicator_exists_in_both_languages():
    for key, pair in TEXTS.items():
        assert len(pair) == len(LANGUAGES) and all(pair), key
    for lever in workshop.LEVERS:
        assert text(lever.key, "nl") != text(lever.key, "en")
        for choice in lever.choices:
            assert choice in TEXTS
    for indicator in MAP_INDICATORS:
        assert f"map_{indicator}" in TEXTS


def test_numbers_are_written_the_dutch_way_in_dutch():
    assert number(5394.25, "en", 1) == "5,394.2"
    assert number(5394.25, "nl", 1) == "5.394,2"


def test_missing_browser_files_are_named(tmp_path):
    assert assets.missing(tmp_path) == list(assets.PACKAGES)
    (tmp_path / "requirejs@2.3.6").mkdir()
    (tmp_path / "requirejs@2.3.6" / "package.json").write_text("{}")
    assert "requirejs@2.3.6" not in assets.missing(tmp_path)


# --- the page, rendered without a browser ----------------------------------------------------
def _button(rc, label: str):
    (widget,) = [b for b in rc.find(v.Btn).widgets if label in b.children]
    return widget


def _slider(rc, label: str):
    (widget,) = [s for s in rc.find(v.Slider).widgets if s.label.startswith(label)]
    return widget


@pytest.fixture
def page_state():
    """A fresh page state at a quick setting (the reactive variables are per session)."""
    app.choose_scenario("baseline")
    app.scale.set(QUICK["scale"])
    app.end_year.set(QUICK["end_year"])
    app.replications.set(2)
    app.result.set(None)
    app.status.set("")
    yield app
    app.result.set(None)


def _eventually(condition, seconds: float = 300) -> bool:
    """Whether ``condition()`` holds within ``seconds``: a change made while the run's thread is
    still drawing the page is drawn by that thread when it is done, not at once (reacton)."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)
    return condition()


def _wait_for_run(page) -> None:
    """The run has finished and the page shows it (its progress bar gone)."""
    _eventually(lambda: not (app.run_model.pending or app.result.value is None
                             or page.find(v.ProgressLinear).widgets))
    assert app.result.value is not None, app.status.value


def _figures(page) -> dict[str, bytes]:
    """The page's pictures by their CSS class (socialsim-figure-<name>)."""
    return {next(c for c in image._dom_classes if c.startswith("socialsim-figure-")): bytes(image.value)
            for image in page.find(ipywidgets.Image).widgets}


def test_run_button_runs_the_levers_and_the_page_shows_the_figures(page_state, monkeypatch):
    drawn = []
    monkeypatch.setattr(app, "png", lambda fig, draw=app.png: drawn.append(fig) or draw(fig))
    _, page = solara.render(app.Page(), handle_error=False)
    _, controls = solara.render(app.Controls("en"), handle_error=False)
    _slider(controls, "Informal first").v_model = 80.0
    assert app.levers.value["access_team.informal_first"] == pytest.approx(0.8)
    _, actions = solara.render(app.Actions("en"), handle_error=False)
    _button(actions, "Run").click()
    _wait_for_run(page)
    result = app.result.value
    assert result.scenario.access_team.informal_first == pytest.approx(0.8)
    assert result.yearly.replication.nunique() == 2 and result.yearly.year.max() == QUICK["end_year"]
    figures = _figures(page)
    assert len(figures) == 6  # the map and five figures
    assert all(len(image) > 1000 for image in figures.values())
    assert len(drawn) == 6  # each once, though the progress messages above them came and went
    assert _button(actions, "Download results (CSV)")
    # a lever moved after the run: the page says the results are no longer those of the levers,
    # and every figure stays as it was, under its own title
    _slider(controls, "Informal first").v_model = 20.0
    assert _eventually(lambda: any("levers changed" in str(a.children) for a in page.find(v.Alert).widgets), 30)
    assert _figures(page) == figures and len(drawn) == 6


def test_choosing_a_scenario_sets_the_levers_to_its_values(page_state):
    _, controls = solara.render(app.Controls("en"), handle_error=False)
    _slider(controls, "Labour supply").v_model = 3.0
    app.choose_scenario("staff_shortage")
    assert app.levers.value == workshop.lever_values(Scenario.load("staff_shortage"))
    assert _slider(controls, "Labour supply").v_model == pytest.approx(-2.0)


def test_the_controls_speak_dutch(page_state):
    _, controls = solara.render(app.Controls("nl"), handle_error=False)
    _, actions = solara.render(app.Actions("nl"), handle_error=False)
    assert _button(actions, "Doorrekenen")
    assert _slider(controls, "Eerst informeel")
