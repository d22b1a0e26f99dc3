"""The workshop page: scenario and levers in the sidebar, Run, then the schematic map and the
figures of ``simulation/plots.py`` with their bands across replications, a CSV download and a
Dutch/English switch. Start it with ``socialsim dashboard``.

State lives in Solara reactive variables, one set per browser tab. A run is a Solara task on a
thread, so the page stays live and shows which replication is running.

The results and each figure carry a key: Solara matches a component to its previous self by
position otherwise, so a message appearing above them (a run's progress, "the levers changed")
made every figure a new component that drew itself again, or showed its neighbour's picture
under its own title.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from typing import Any

import pandas as pd
import solara
from matplotlib.figure import Figure

from .. import plots
from ..scenario import Scenario, ScenarioError
from . import workshop
from .areamap import MAP_INDICATORS, area_map
from .texts import LANGUAGES, number, text


@dataclass(frozen=True, eq=False)  # compared by identity: a new run is a new result
class Result:
    yearly: pd.DataFrame
    scenario: Scenario
    seconds: float
    inputs: tuple


lang = solara.reactive("en")
scenario_name = solara.reactive("baseline")
levers = solara.reactive(workshop.lever_values(Scenario.load("baseline")))
scale = solara.reactive(workshop.DEFAULT_SCALE)
replications = solara.reactive(workshop.DEFAULT_REPLICATIONS)
end_year = solara.reactive(workshop.DEFAULT_END_YEAR)
status = solara.reactive("")
result: solara.Reactive[Result | None] = solara.reactive(None)
map_indicator = solara.reactive("informal_share")
map_year = solara.reactive(workshop.DEFAULT_END_YEAR)


def current_inputs() -> tuple:
    return (scenario_name.value, tuple(sorted(levers.value.items())), scale.value, replications.value,
            end_year.value)


def choose_scenario(name: str) -> None:
    scenario_name.set(name)
    levers.set(workshop.lever_values(Scenario.load(name)))


def set_lever(key: str, value: Any) -> None:
    levers.set({**levers.value, key: value})


@solara.lab.task
def run_model() -> None:
    inputs = current_inputs()
    name, lever_items, run_scale, reps, end = inputs
    language = lang.value
    started = time.perf_counter()
    try:
        scenario = workshop.workshop_scenario(name, dict(lever_items), run_scale, end)
        yearly = workshop.run_workshop(
            scenario, reps, progress=lambda r, n: status.set(text("running", language, r=min(r + 1, n), n=n)))
    except ScenarioError as e:
        status.set(text("failed", language, error=e))
        return
    result.set(Result(yearly, scenario, time.perf_counter() - started, inputs))
    status.set("")


def png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    return buffer.getvalue()


CSS = """
.socialsim-sidebar .v-input__slider .v-input__slot { flex-wrap: wrap; }
.socialsim-sidebar .v-input__slider .v-label { width: 100%; height: auto; white-space: normal; margin-bottom: 4px; }
.socialsim-sidebar .v-input__slider .v-slider--horizontal { flex: 1 0 calc(100% - 16px); margin: 0 8px; }
"""


@solara.component
def Heading(words: str, tag: str) -> None:
    # plain HTML rather than solara.Markdown, which loads a diagram library from the CDN
    solara.v.Html(tag=tag, children=[words], style_="margin: 0.6em 0 0.3em 0")


@solara.component
def LeverControl(lever: workshop.Lever, scenario: Scenario, language: str) -> None:
    value = levers.value[lever.key]
    if lever.choices:
        names = {text(c, language): c for c in lever.choices}
        solara.Select(text(lever.key, language), values=list(names), value=text(value, language),
                      on_value=lambda shown: set_lever(lever.key, names[shown]))
    else:
        shown = lever.to_slider(value)
        solara.SliderFloat(f"{text(lever.key, language)}: {shown:g}", value=shown,
                           min=lever.to_slider(lever.low), max=lever.to_slider(lever.high),
                           step=lever.to_slider(lever.step),
                           on_value=lambda shown: set_lever(lever.key, lever.from_slider(shown)))
    notes = [text(f"{lever.key}_help", language)]
    changes = workshop.lever_timeline(scenario, lever.key)
    if changes:
        dated = ", ".join(f"{year}: {lever.to_slider(v) if not lever.choices else text(v, language)}"
                          for year, v in changes)
        notes.append(text("timeline", language, changes=dated))
    solara.Text(" ".join(notes), style={"font-size": "0.8em", "color": "#555"})


@solara.component
def Controls(language: str) -> None:
    scenario = solara.use_memo(lambda: Scenario.load(scenario_name.value), [scenario_name.value])
    solara.Select(text("scenario", language), values=workshop.scenario_names(), value=scenario_name.value,
                  on_value=choose_scenario)
    solara.Text(scenario.scenario.description, style={"font-size": "0.85em"})
    Heading(text("levers", language), "h4")
    for lever in workshop.LEVERS:
        LeverControl(lever, scenario, language)
    solara.Text(text("levers_note", language), style={"font-size": "0.8em", "font-style": "italic"})
    solara.Button(text("reset", language), on_click=lambda: choose_scenario(scenario_name.value), text=True)
    Heading(text("run_settings", language), "h4")
    samples = {f"{s:.0%}": s for s in workshop.SCALES}
    solara.Select(text("scale", language), values=list(samples), value=f"{scale.value:.0%}",
                  on_value=lambda shown: scale.set(samples[shown]))
    solara.SliderInt(f"{text('replications', language)}: {replications.value}", value=replications, min=1, max=10)
    solara.SliderInt(f"{text('end_year', language)}: {end_year.value}", value=end_year, min=2020, max=2050)


@solara.component
def Actions(language: str) -> None:
    """Run, and the download of the current results once there are some."""
    with solara.Row():
        solara.Button(text("run", language), on_click=run_model, color="primary", disabled=run_model.pending,
                      icon_name="mdi-play")
        current = result.value
        if current is not None:
            solara.FileDownload(lambda: workshop.results_csv(current.yearly, current.scenario),
                                filename=workshop.csv_filename(current.scenario), label=text("download", language),
                                mime_type="text/csv")


@solara.component
def FigureCard(title: str, explanation: str, make: Any, name: str, dependencies: list) -> None:
    image = solara.use_memo(lambda: png(make()), dependencies)
    with solara.Card(title):
        solara.Text(explanation)
        solara.Image(image, width="100%", classes=[f"socialsim-figure-{name}"])


@solara.component
def Results(current: Result, language: str) -> None:
    yearly, scenario = current.yearly, current.scenario
    persons = int(yearly[(yearly.area == "total") & (yearly.year == scenario.run.start_year)].population.mean())
    solara.Success(text("done", language, scenario=scenario.scenario.name, start=scenario.run.start_year,
                        end=scenario.run.end_year, n=yearly.replication.nunique(), pct=f"{scenario.run.scale:.0%}",
                        persons=number(persons, language), seconds=number(current.seconds, language, 1)))
    if current.inputs != current_inputs():
        solara.Warning(text("stale", language))
    key = [current, language]
    # the map's year kept within the run's years here, not set after a run: setting it there
    # drew the map a second time, first for a year the new run may not have
    year = min(max(map_year.value, scenario.run.start_year), scenario.run.end_year)
    with solara.Card(text("map_title", language)).key("map"):
        solara.Text(text("map_text", language))
        names = {text(f"map_{i}", language): i for i in MAP_INDICATORS}
        with solara.Row():
            solara.Select(text("indicator", language), values=list(names),
                          value=text(f"map_{map_indicator.value}", language),
                          on_value=lambda shown: map_indicator.set(names[shown]))
            solara.SliderInt(f"{text('year', language)}: {year}", value=year, on_value=map_year.set,
                             min=scenario.run.start_year, max=scenario.run.end_year)
        image = solara.use_memo(
            lambda: png(area_map(yearly, map_indicator.value, year, scenario.run.dataset, language,
                                 text(f"map_{map_indicator.value}", language) + f", {year}", scenario.run.scale)),
            key + [map_indicator.value, year])
        solara.Image(image, width="640px", classes=["socialsim-figure-map"])
    figures = {  # name (its text keys and the image's CSS class) -> title, drawing
        "informal": (plots.label("informal_title", language), lambda: plots.informal_share(yearly, scenario, language)),
        "waits": (plots.label("waits_title", language), lambda: plots.waits(yearly, scenario, language)),
        "money": (plots.label("money_title", language), lambda: plots.money(yearly, scenario, language)),
        "carers": (plots.label("carers_title", language), lambda: plots.carers(yearly, scenario, language)),
        "unmet": (text("unmet_title", language),
                  lambda: plots.indicator(yearly, "unmet_need_persons", scenario, language)),
    }
    for name, (title, make) in figures.items():
        FigureCard(title, text(f"{name}_text", language), make, name, key).key(name)


@solara.component
def Page() -> None:
    language = lang.value
    solara.Title("socialsim")
    with solara.AppBar():
        solara.ToggleButtonsSingle(value=language.upper(), values=[code.upper() for code in LANGUAGES],
                                   on_value=lambda code: lang.set(code.lower()))
    solara.Style(CSS)
    with solara.Sidebar():
        with solara.Column(classes=["socialsim-sidebar"]):
            Controls(language)
    Heading(text("title", language), "h2")
    solara.Text(text("intro", language))
    Actions(language)
    if run_model.pending:
        solara.Info(status.value or text("running", language, r=1, n=replications.value))
        solara.ProgressLinear(True)
    elif status.value:
        solara.Error(status.value)
    if result.value is None:
        if not run_model.pending:
            solara.Info(text("press_run", language))
    else:
        Results(result.value, language).key("results")
