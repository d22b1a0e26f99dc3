"""Figures of a run's results tables, as :class:`matplotlib.figure.Figure` objects.

Every function takes the tidy yearly table of ``simulation/outputs.py`` (one replication or
many, as ``SocialDomainModel.yearly()`` returns it or ``yearly.parquet`` holds it) and returns a
matplotlib Figure built without pyplot: importing this module never changes matplotlib's
backend; the figures show inline in Jupyter and save anywhere (``fig.savefig(...)``).

Across replications a line is the central value and a band spans 5-95% of the replications;
ratios (the informal share, mean waits, shares) are taken from the summed counts, as the tables
define them. ``run=`` (a scenario, a model, a manifest or :class:`RunInfo`) adds what the table
does not hold: the population scale (a sample's figures say so), the policy dates (dotted
lines) and the price index (cost in constant prices). ``lang="nl"`` gives Dutch labels.

One module although long (over 450 lines): one short function per standard figure, all
sharing the labels in two languages, the bands across replications, the sample note and the
saving rules defined here; a figure is read in one place.
"""

from __future__ import annotations

import io
import json
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import matplotlib
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
import matplotlib.figure
from matplotlib.ticker import MaxNLocator

from .costs import TARIFF_YEAR
from .domain import DOMAINS
from .outputs import OUTPUTS, RATIO_PARTS, TOTAL


class Figure(matplotlib.figure.Figure):
    """A matplotlib Figure that shows itself in Jupyter (as PNG) with no pyplot and whatever
    the backend: a bare Figure would show as text."""

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=90)
        return buffer.getvalue()


class PlotError(ValueError):
    """A wrong argument or an unusable results folder: the message names it."""


# --- labels: every text a figure shows, in English and Dutch, in one place ------------------
LABELS: dict[str, tuple[str, str]] = {
    "year": ("year", "jaar"),
    "total": ("municipality", "gemeente"),
    "band": ("band: 5-95% of {n} replications", "band: 5-95% van {n} replicaties"),
    "one_rep": ("1 replication", "1 replicatie"),
    "sample": ("{pct} sample: counts are the sample's (x{factor} for the municipality)",
               "steekproef van {pct}: aantallen van de steekproef (x{factor} voor de gemeente)"),
    "policy": ("dotted lines: policy changes in the scenario", "stippellijnen: beleidswijzigingen in het scenario"),
    "policy_years": ("policy changes ({years})", "beleidswijzigingen ({years})"),
    "source": ("Source: socialsim simulation, scenario '{scenario}'", "Bron: socialsim-simulatie, scenario '{scenario}'"),
    "source_compare": ("Source: socialsim simulation, '{scenario}' minus '{base}' with the same seeds",
                       "Bron: socialsim-simulatie, '{scenario}' min '{base}' met dezelfde seeds"),
    # informal share
    "informal_title": ("Help requests solved informally, against the 40% ambition",
                       "Hulpvragen informeel opgelost, tegen de ambitie van 40%"),
    "informal_ylabel": ("% of resolved requests", "% van de afgehandelde hulpvragen"),
    "ambition": ("ambition 40%", "ambitie 40%"),
    "informal_caption": ("informal share = requests solved by kin, neighbours or volunteers / requests resolved "
                         "(ambition: Emmen policy plan 2016)",
                         "informeel aandeel = hulpvragen opgelost door familie, buren of vrijwilligers / afgehandelde "
                         "hulpvragen (ambitie: beleidsplan Emmen 2016)"),
    "informal_share": ("informal share", "informeel aandeel"),
    "informal_share_access_team": ("via the access team", "via het toegangsteam"),
    "informal_share_durable": ("durable", "duurzaam"),
    # requests and clients
    "requests_title": ("Help requests by domain and clients by provision", "Hulpvragen per domein en cliënten per voorziening"),
    "requests_ylabel": ("requests per year", "hulpvragen per jaar"),
    "clients_ylabel": ("persons in the year", "personen in het jaar"),
    "requests_caption": ("requests: problems the own household could not cover; clients: distinct persons during the year",
                         "hulpvragen: problemen die het eigen huishouden niet oploste; cliënten: unieke personen in het jaar"),
    "household_help": ("household help", "hulp bij het huishouden"),
    "individual_support": ("individual support", "individuele begeleiding"),
    "day_activities": ("day activities", "dagbesteding"),
    "aids_adaptations": ("aids and adaptations", "hulpmiddelen en woningaanpassingen"),
    "youth_care": ("youth care", "jeugdhulp"),
    "debt_help": ("debt help", "schuldhulp"),
    "protected_living": ("protected living", "beschermd wonen"),
    "wmo_clients": ("Wmo customised provisions", "Wmo-maatwerkvoorzieningen"),
    "general_provision_clients": ("general provisions", "algemene voorzieningen"),
    "youth_care_clients_0_17": ("youth care (0-17)", "jeugdhulp (0-17)"),
    "protected_living_clients": ("protected living", "beschermd wonen"),
    # waits
    "waits_title": ("Waiting times against the 6-week norm", "Wachttijden tegen de norm van 6 weken"),
    "weeks": ("weeks", "weken"),
    "norm": ("norm 6 weeks", "norm 6 weken"),
    "access_wait_weeks_mean": ("request to investigation (access team)", "melding tot onderzoek (toegangsteam)"),
    "provider_wait_weeks_mean": ("indication to start (providers)", "indicatie tot start (aanbieders)"),
    "waiting_list_weeks_mean": ("waited so far, on the list on 1 January", "tot nu toe gewacht, op de lijst op 1 januari"),
    "within_6": ("% of investigations within 6 weeks", "% van de onderzoeken binnen 6 weken"),
    "waits_caption": ("means over the year; the Wmo gives the municipality 6 weeks for the investigation",
                      "gemiddelden over het jaar; de Wmo geeft de gemeente 6 weken voor het onderzoek"),
    # carers
    "carers_title": ("Informal carers and overload", "Mantelzorgers en overbelasting"),
    "carers": ("carers", "mantelzorgers"),
    "carers_ylabel": ("persons", "personen"),
    "carers_heavily_burdened": ("of them heavily burdened", "waarvan zwaar belast"),
    "burdened_share": ("% of carers heavily burdened", "% mantelzorgers zwaar belast"),
    "dropouts": ("carers who stopped from overload per year", "mantelzorgers per jaar gestopt door overbelasting"),
    "carers_caption": ("carers: more than 8 h/week and/or longer than 3 months (CBS); CBS 2022: 19% heavily burdened",
                       "mantelzorgers: meer dan 8 uur/week en/of langer dan 3 maanden (CBS); CBS 2022: 19% zwaar belast"),
    # staff
    "staff_title": ("Providers' staff and vacancies", "Personeel en vacatures van aanbieders"),
    "staff_fte": ("staff", "personeel"),
    "staff_vacancies": ("vacancies", "vacatures"),
    "fte": ("FTE (mean over the year)", "fte (gemiddeld over het jaar)"),
    "vacancy_rate": ("% of staff wanted that is unfilled", "% van het gevraagde personeel niet vervuld"),
    "waiting_list": ("persons waiting for a provider (1 January)", "personen op de wachtlijst (1 januari)"),
    "staff_caption": ("staff hired from the regional care labour pool; vacancies = staff wanted - staff",
                      "personeel uit de regionale zorgarbeidsmarkt; vacatures = gevraagd personeel - personeel"),
    # money
    "money_title": ("Cost against budget, and the social-domain reserve", "Kosten tegen budget, en de reserve sociaal domein"),
    "cost_total_eur": ("cost", "kosten"),
    "budget_eur": ("budget", "budget"),
    "prevention_spend_eur": ("prevention", "preventie"),
    "eur_m": ("EUR million", "miljoen euro"),
    "nominal": ("nominal", "nominaal"),
    "real": ("{year} prices", "prijzen {year}"),
    "reserve": ("reserve on 31 December", "reserve op 31 december"),
    "reserve_end_eur": ("reserve", "reserve"),
    "money_caption": ("cost of all budget lines for the residents; budget as contracted and indexed",
                      "kosten van alle budgetregels voor de inwoners; budget zoals gecontracteerd en geïndexeerd"),
    "deflated": ("constant prices: deflated by the run's price index (observed CPI, then {pct}/year)",
                 "constante prijzen: gedefleerd met de prijsindex van de run (waargenomen CPI, daarna {pct}/jaar)"),
    # queues, month by month
    "queues_title": ("Queues month by month", "Wachtrijen per maand"),
    "requests_pending_monthly": ("requests queued at the access team", "hulpvragen in de wachtrij van het toegangsteam"),
    "waiting_list_monthly": ("persons on the providers' waiting list", "personen op de wachtlijst van aanbieders"),
    "queues_caption": ("stocks on the first of the month; waits of the requests investigated in the month",
                       "standen op de eerste van de maand; wachttijden van de in de maand onderzochte hulpvragen"),
    # population
    "ageing_title": ("Population and double ageing", "Bevolking en dubbele vergrijzing"),
    "residents": ("residents on 1 January", "inwoners op 1 januari"),
    "pct_residents": ("% of residents", "% van de inwoners"),
    "share_65_plus": ("65+", "65+"),
    "share_80_plus": ("80+", "80+"),
    "share_85_plus": ("85+", "85+"),
    "potential_carer_ratio": ("persons 50-74 per person 85+", "personen 50-74 per persoon 85+"),
    "ageing_caption": ("potential-carer ratio as CBS defines it (NL: 15 in 2015, 6 in 2040)",
                       "mantelzorgpotentieel zoals het CBS het definieert (NL: 15 in 2015, 6 in 2040)"),
    "age_0_17": ("0-17", "0-17"),
    "age_18_64": ("18-64", "18-64"),
    "age_65_79": ("65-79", "65-79"),
    "age_80_plus": ("80+", "80+"),
    "pyramid_title": ("Residents by age and sex", "Inwoners naar leeftijd en geslacht"),
    "on_1st": ("{year}-{month:02d}-01", "1-{month}-{year}"),
    "men": ("men", "mannen"),
    "women": ("women", "vrouwen"),
    "persons": ("persons", "personen"),
    "age": ("age", "leeftijd"),
    # summary and differences
    "summary_title": ("Scenario '{scenario}': residents, ageing, the 40% indicator, cost",
                      "Scenario '{scenario}': inwoners, vergrijzing, de 40%-indicator, kosten"),
    "diff_title": ("'{scenario}' minus '{base}'", "'{scenario}' min '{base}'"),
    "diff_band": ("fan: 5-95% and 25-75% of {n} paired replications; line: mean",
                  "waaier: 5-95% en 25-75% van {n} gepaarde replicaties; lijn: gemiddelde"),
    "requests": ("help requests per year", "hulpvragen per jaar"),
    "informal_pp": ("informal share (percentage points)", "informeel aandeel (procentpunten)"),
    "net_cost": ("cost + prevention (EUR million)", "kosten + preventie (miljoen euro)"),
    "unmet_need_persons": ("persons with unmet need", "personen met onvervulde hulpvraag"),
    "difference": ("difference", "verschil"),
}
LANGUAGES = ("en", "nl")
UNITS = {o.name: o.unit for o in OUTPUTS}  # of any column, for the generic figure
DEFINITIONS = {o.name: o.definition for o in OUTPUTS}
AMBITION = 0.40  # Emmen's policy plan 2016: 40% of help requests solved informally
NORM_WEEKS = 6.0  # Wmo 2015, art. 2.3.2: the investigation within six weeks
BAND = (0.05, 0.95)

# ratios of the tables, from summed counts: column -> (numerator, denominator, factor), defined once
RATIOS = RATIO_PARTS


def label(key: str, lang: str = "en", **fields: Any) -> str:
    """The text for ``key`` in ``lang`` (an area name or unknown key is returned as it is)."""
    if lang not in LANGUAGES:
        raise PlotError(f"lang = {lang!r}: must be one of {', '.join(LANGUAGES)}")
    text = LABELS[key][LANGUAGES.index(lang)] if key in LABELS else key
    return text.format(**fields) if fields else text


# --- what the tables do not say: scale, policy dates, prices ---------------------------------
@dataclass(frozen=True)
class RunInfo:
    """What a figure needs to know about the run beyond its table."""

    scenario: str = ""
    scale: float = 1.0
    policy_years: tuple[int, ...] = ()
    cost_inflation: float | None = None  # per year; None: cost shown in nominal prices only

    @classmethod
    def of(cls, run: Any) -> "RunInfo":
        """From a :class:`RunInfo`, a ``Scenario``, a ``SocialDomainModel``, a manifest dict (or
        any dict with the resolved scenario under ``"scenario"``) or None (nothing known)."""
        from .scenario import Scenario

        if run is None or isinstance(run, RunInfo):
            return run or cls()
        if isinstance(run, dict):
            run = Scenario.model_validate(run.get("scenario", run))
        scenario = getattr(run, "initial_config", run)  # a model: the scenario it started from
        if not isinstance(scenario, Scenario):
            raise PlotError(f"run = {type(run).__name__}: must be a Scenario, a model, a manifest dict or RunInfo")
        years = sorted({p.year for p in scenario.policy if scenario.run.start_year < p.year <= scenario.run.end_year})
        return cls(scenario.scenario.name, scenario.run.scale, tuple(years), scenario.funding.cost_inflation)


def load_results(folder: Path, table: str = "yearly") -> tuple[pd.DataFrame, RunInfo]:
    """A results folder's yearly (or monthly) table and what its manifest says about the run."""
    folder = Path(folder)
    path = folder / f"{table}.parquet"
    if not path.exists():
        raise PlotError(f"{folder}: no {table}.parquet here (expected the output folder of `socialsim run`)")
    meta = (pq.read_schema(path).metadata or {}).get(b"socialsim")
    manifest = folder / "manifest.json"
    info = json.loads(manifest.read_text()) if manifest.exists() else json.loads(meta) if meta else None
    return pd.read_parquet(path), RunInfo.of(info)


# --- statistics across replications -----------------------------------------------------------
def summarise(table: pd.DataFrame, column: str, areas: list[str] | None = None) -> pd.DataFrame:
    """Per (area, year[, month]) of a yearly or monthly table: ``center`` (a ratio of the summed
    counts, or the mean over replications), ``lo``/``hi`` (5% and 95% of the replications'
    values), ``n`` and ``time`` (the year, plus the month's fraction of it)."""
    df = table if areas is None else table[table.area.isin(areas)]
    keys = ["area", "year"] + (["month"] if "month" in df.columns else [])
    if column in RATIOS:
        num, den, factor = RATIOS[column]
        per_rep = factor * df[num] / df[den].where(df[den] > 0)
        sums = df.groupby(keys, sort=False)[[num, den]].sum()
        center = factor * sums[num] / sums[den].where(sums[den] > 0)
    else:
        per_rep = df[column].astype(float)
        center = per_rep.groupby([df[k] for k in keys], sort=False).mean()
    groups = per_rep.groupby([df[k] for k in keys], sort=False)
    out = pd.DataFrame({"center": center, "lo": groups.quantile(BAND[0]), "hi": groups.quantile(BAND[1]),
                        "n": groups.size()})
    out.index.names = keys
    out = out.reset_index().sort_values(keys, kind="stable")
    out["time"] = out.year + (out.month - 1) / 12 if "month" in keys else out.year
    return out


def _replications(yearly: pd.DataFrame) -> int:
    return int(yearly["replication"].nunique()) if "replication" in yearly else 1


def _line(ax: Axes, s: pd.DataFrame, scale: float = 1.0, **style) -> Line2D:
    """The central line and, when there are several replications, its band."""
    (line,) = ax.plot(s.time, s.center * scale, **style)
    if s.n.max() > 1:
        ax.fill_between(s.time, s.lo * scale, s.hi * scale, color=line.get_color(), alpha=0.2, lw=0)
    return line


def _area_lines(ax: Axes, yearly: pd.DataFrame, column: str, lang: str, scale: float = 1.0) -> None:
    """One thin line per area and the municipality in bold black with its band (the areas'
    bands would hide each other)."""
    data = summarise(yearly, column)
    for area in pd.unique(yearly.area):
        s = data[data.area == area]
        if area == TOTAL:
            _line(ax, s, scale, color="black", lw=2.2, label=label(TOTAL, lang), zorder=3)
        else:
            ax.plot(s.time, s.center * scale, lw=1, alpha=0.8, label=area)


def _money(ax: Axes, yearly: pd.DataFrame, columns: list[str], info: RunInfo, lang: str) -> None:
    """EUR million, nominal; dashed in constant prices by the table's own ``price_index`` (the
    price path the run used: observed CPI, then the assumed inflation), when it has one."""
    index = yearly.groupby("year")["price_index"].first() if "price_index" in yearly else None
    for col in columns:
        s = summarise(yearly, col, [TOTAL])
        line = _line(ax, s, 1e-6, label=f"{label(col, lang)} ({label('nominal', lang)})")
        if index is not None:
            deflator = s.year.map(index).to_numpy()
            ax.plot(s.year, s.center / 1e6 / deflator, ls="--", color=line.get_color(),
                    label=f"{label(col, lang)} ({label('real', lang, year=TARIFF_YEAR)})")
    ax.set_ylabel(label("eur_m", lang))


def _policies(fig: Figure, info: RunInfo) -> bool:
    """Dotted vertical lines at the policy dates on every axis over years (those ``_years``
    labelled); True if any was drawn."""
    drawn = False
    for ax in fig.axes:
        if ax.get_xlabel() not in (label("year", "en"), label("year", "nl")):
            continue
        lo, hi = ax.get_xlim()
        for year in info.policy_years:
            if lo <= year <= hi:
                ax.axvline(year, color="grey", ls=":", lw=1)
                drawn = True
    return drawn


def _finish(fig: Figure, title: str, caption: list[str], yearly: pd.DataFrame | None, info: RunInfo, lang: str,
            source: str | None = None) -> Figure:
    """Title with the sample note, and a caption: units, band (for a table's replications),
    policy lines, source."""
    lines = [title]
    if info.scale < 1:
        lines.append(label("sample", lang, pct=f"{info.scale:.0%}" if info.scale >= 0.01 else f"{info.scale:.1%}",
                           factor=f"{1 / info.scale:g}"))
    fig.suptitle("\n".join(lines), fontsize=12)
    notes = list(caption)
    if yearly is not None:
        n = _replications(yearly)
        notes.append(label("band", lang, n=n) if n > 1 else label("one_rep", lang))
    if _policies(fig, info):
        notes.append(label("policy", lang))
    scenario = info.scenario or (str(yearly["scenario"].iloc[0]) if yearly is not None else "")
    notes.append(source or label("source", lang, scenario=scenario))
    width = int(fig.get_figwidth() * 15)  # characters of 8-point text the figure is wide
    text = textwrap.fill("; ".join(notes[:-1]) + ".", width) + "\n" if notes[:-1] else ""
    fig.supxlabel(text + notes[-1], fontsize=8, color="dimgrey")
    return fig


def _grid(n: int, ncols: int, width: float = 4.0, height: float = 3.2) -> tuple[Figure, list[Axes]]:
    nrows = -(-n // ncols)
    fig = Figure(figsize=(width * ncols, height * nrows + 1.2), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel().tolist()
    return fig, axes


def _years(ax: Axes, lang: str, ylabel: str = "") -> None:
    ax.set_xlabel(label("year", lang))
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)


def _check(yearly: pd.DataFrame, columns: list[str]) -> None:
    missing = [c for c in columns if c not in yearly.columns]
    if missing:
        raise PlotError(f"the yearly table lacks {', '.join(missing)} (expected a table of simulation/outputs.py)")


# --- the figures -----------------------------------------------------------------------------
def informal_share(yearly: pd.DataFrame, run: Any = None, lang: str = "en") -> Figure:
    """The 40% indicator per area (one panel each, the municipality first) against the
    ambition; every ``informal_share*`` variant the table has is a line of its own."""
    _check(yearly, ["informal_share", "solved_informally", "resolved"])
    info = RunInfo.of(run)
    variants = ["informal_share"] + sorted(c for c in yearly.columns if c.startswith("informal_share_"))
    areas = [TOTAL] + [a for a in pd.unique(yearly.area) if a != TOTAL]
    fig, axes = _grid(len(areas) + 1, 4, 3.6, 2.9)
    stats = {v: summarise(yearly, v) for v in variants}
    colors = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, area in zip(axes, areas):
        for color, v in zip(colors, variants):
            _line(ax, stats[v][stats[v].area == area], 100, color=color, label=label(v, lang),
                  lw=2 if v == "informal_share" else 1.3)
        ax.axhline(AMBITION * 100, color="firebrick", ls="--", lw=1.2, label=label("ambition", lang))
        ax.set_title(label(TOTAL, lang) if area == TOTAL else area, fontsize=10)
        _years(ax, lang, label("informal_ylabel", lang) if ax in axes[::4] else "")
    for ax in axes[1:len(areas)]:
        ax.sharey(axes[0])
    axes[0].set_ylim(bottom=0, top=max(60, axes[0].get_ylim()[1]))
    handles, texts = axes[0].get_legend_handles_labels()
    if _replications(yearly) > 1:
        handles.append(Patch(color=colors[0], alpha=0.2))
        texts.append(label("band", lang, n=_replications(yearly)).split(": ", 1)[1])
    if info.policy_years:
        handles.append(Line2D([], [], color="grey", ls=":", lw=1))
        texts.append(label("policy_years", lang, years=", ".join(map(str, info.policy_years))))
    for ax in axes[len(areas):]:
        ax.axis("off")
    axes[len(areas)].legend(handles, texts, loc="center", frameon=False)
    return _finish(fig, label("informal_title", lang), [label("informal_caption", lang)], yearly, info, lang)


def requests_and_clients(yearly: pd.DataFrame, run: Any = None, lang: str = "en") -> Figure:
    """Help requests per year by domain, and clients per kind of provision (municipality)."""
    domains = [f"requests_by_domain_{d.name}" for d in DOMAINS]
    clients = ["wmo_clients", "general_provision_clients", "youth_care_clients_0_17", "protected_living_clients"]
    _check(yearly, domains + clients)
    info = RunInfo.of(run)
    fig, (left, right) = _grid(2, 2, 5.4, 3.8)
    for col, d in zip(domains, DOMAINS):
        _line(left, summarise(yearly, col, [TOTAL]), label=label(d.name, lang))
    _years(left, lang, label("requests_ylabel", lang))
    left.set_ylim(bottom=0)
    left.legend(fontsize=7)
    for col in clients:
        _line(right, summarise(yearly, col, [TOTAL]), label=label(col, lang))
    _years(right, lang, label("clients_ylabel", lang))
    right.set_ylim(bottom=0)
    right.legend(fontsize=7)
    return _finish(fig, label("requests_title", lang), [label("requests_caption", lang)], yearly, info, lang)


def waits(yearly: pd.DataFrame, run: Any = None, lang: str = "en") -> Figure:
    """Mean waits (municipality) against the 6-week norm, and the share investigated within
    6 weeks per area."""
    measures = ["access_wait_weeks_mean", "provider_wait_weeks_mean", "waiting_list_weeks_mean"]
    _check(yearly, [c for m in measures for c in RATIOS[m][:2]] + ["access_within_6_weeks"])
    info = RunInfo.of(run)
    fig, (left, right) = _grid(2, 2, 5.4, 3.8)
    for col in measures:
        _line(left, summarise(yearly, col, [TOTAL]), label=label(col, lang))
    left.axhline(NORM_WEEKS, color="firebrick", ls="--", lw=1.2, label=label("norm", lang))
    _years(left, lang, label("weeks", lang))
    left.set_ylim(bottom=0)
    left.legend(fontsize=7)
    _area_lines(right, yearly, "access_within_6_weeks_share", lang, 100)
    _years(right, lang, label("within_6", lang))
    right.set_ylim(0, 105)
    right.legend(fontsize=7, ncol=2)
    return _finish(fig, label("waits_title", lang), [label("waits_caption", lang)], yearly, info, lang)


def carers(yearly: pd.DataFrame, run: Any = None, lang: str = "en") -> Figure:
    """Carers and the heavily burdened among them; the burdened share per area; dropouts."""
    _check(yearly, ["carers", "carers_heavily_burdened", "carer_dropouts"])
    info = RunInfo.of(run)
    fig, axes = _grid(3, 3, 4.3, 3.6)
    for col in ("carers", "carers_heavily_burdened"):
        _line(axes[0], summarise(yearly, col, [TOTAL]), label=label(col, lang))
    _years(axes[0], lang, label("carers_ylabel", lang))
    axes[0].set_ylim(bottom=0)
    axes[0].legend(fontsize=7)
    _area_lines(axes[1], yearly, "heavily_burdened_share", lang, 100)
    _years(axes[1], lang, label("burdened_share", lang))
    axes[1].set_ylim(bottom=0)
    axes[1].legend(fontsize=7, ncol=2)
    _line(axes[2], summarise(yearly, "carer_dropouts", [TOTAL]), color="black")
    _years(axes[2], lang, label("dropouts", lang))
    axes[2].set_ylim(bottom=0)
    return _finish(fig, label("carers_title", lang), [label("carers_caption", lang)], yearly, info, lang)


def staff(yearly: pd.DataFrame, run: Any = None, lang: str = "en") -> Figure:
    """Providers' staff and vacancies (municipality), the vacancy rate per area, and the
    waiting list the shortage turns into."""
    _check(yearly, ["staff_fte", "staff_vacancies", "waiting_list"])
    info = RunInfo.of(run)
    fig, axes = _grid(3, 3, 4.3, 3.6)
    for col in ("staff_fte", "staff_vacancies"):
        _line(axes[0], summarise(yearly, col, [TOTAL]), label=label(col, lang))
    _years(axes[0], lang, label("fte", lang))
    axes[0].set_ylim(bottom=0)
    axes[0].legend(fontsize=7)
    rate = yearly.assign(vacancy_rate=yearly.staff_vacancies / (yearly.staff_fte + yearly.staff_vacancies)
                         .where(lambda x: x > 0))
    _area_lines(axes[1], rate, "vacancy_rate", lang, 100)
    _years(axes[1], lang, label("vacancy_rate", lang))
    axes[1].set_ylim(bottom=0)
    axes[1].legend(fontsize=7, ncol=2)
    _line(axes[2], summarise(yearly, "waiting_list", [TOTAL]), color="black")
    _years(axes[2], lang, label("waiting_list", lang))
    axes[2].set_ylim(bottom=0)
    return _finish(fig, label("staff_title", lang), [label("staff_caption", lang)], yearly, info, lang)


def money(yearly: pd.DataFrame, run: Any = None, lang: str = "en") -> Figure:
    """Cost and prevention spending against the budget, and the reserve at the end of each
    year (municipality; nominal, and in constant prices when the price index is known)."""
    _check(yearly, ["cost_total_eur", "budget_eur", "prevention_spend_eur", "reserve_end_eur"])
    info = RunInfo.of(run)
    fig, (left, right) = _grid(2, 2, 5.4, 3.8)
    _money(left, yearly, ["cost_total_eur", "budget_eur", "prevention_spend_eur"], info, lang)
    _years(left, lang)
    left.set_ylim(bottom=0)
    left.legend(fontsize=7)
    _money(right, yearly, ["reserve_end_eur"], info, lang)
    right.axhline(0, color="grey", lw=0.8)
    right.set_title(label("reserve", lang), fontsize=10)
    _years(right, lang)
    right.legend(fontsize=7)
    caption = [label("money_caption", lang)]
    if "price_index" in yearly and info.cost_inflation is not None:
        caption.append(label("deflated", lang, pct=f"{info.cost_inflation:.1%}"))
    return _finish(fig, label("money_title", lang), caption, yearly, info, lang)


def ageing(yearly: pd.DataFrame, run: Any = None, lang: str = "en") -> Figure:
    """Residents by age group (stacked), the shares of 65+, 80+ and 85+, and the
    potential-carer ratio (municipality)."""
    _check(yearly, ["pop_0_17", "pop_18_plus", "pop_65_plus", "pop_80_plus", "pop_85_plus", "pop_50_74"])
    info = RunInfo.of(run)
    fig, axes = _grid(3, 3, 4.3, 3.6)
    t = yearly[yearly.area == TOTAL].groupby("year")[["pop_0_17", "pop_18_plus", "pop_65_plus", "pop_80_plus"]].mean()
    groups = {"age_0_17": t.pop_0_17, "age_18_64": t.pop_18_plus - t.pop_65_plus,
              "age_65_79": t.pop_65_plus - t.pop_80_plus, "age_80_plus": t.pop_80_plus}
    axes[0].stackplot(t.index, *groups.values(), labels=[label(k, lang) for k in groups], alpha=0.85)
    _years(axes[0], lang, label("residents", lang))
    axes[0].legend(fontsize=7, loc="lower left")
    for col in ("share_65_plus", "share_80_plus", "share_85_plus"):
        _line(axes[1], summarise(yearly, col, [TOTAL]), 100, label=label(col, lang))
    _years(axes[1], lang, label("pct_residents", lang))
    axes[1].set_ylim(bottom=0)
    axes[1].legend(fontsize=7)
    _line(axes[2], summarise(yearly, "potential_carer_ratio", [TOTAL]), color="black")
    _years(axes[2], lang, label("potential_carer_ratio", lang))
    axes[2].set_ylim(bottom=0)
    return _finish(fig, label("ageing_title", lang), [label("ageing_caption", lang)], yearly, info, lang)


def queues(monthly: pd.DataFrame, run: Any = None, lang: str = "en") -> Figure:
    """Month by month (municipality): requests queued at the access team and persons on the
    providers' waiting list, and the access team's mean wait against the 6-week norm."""
    _check(monthly, ["month", "requests_pending", "waiting_list", "access_wait_weeks_sum", "access_handled"])
    info = RunInfo.of(run)
    monthly = monthly.assign(access_wait_weeks_mean=monthly.access_wait_weeks_sum
                             / monthly.access_handled.where(monthly.access_handled > 0))
    fig, (left, right) = _grid(2, 2, 5.4, 3.8)
    for col in ("requests_pending", "waiting_list"):
        _line(left, summarise(monthly, col, [TOTAL]), label=label(col + "_monthly", lang))
    _years(left, lang, label("persons", lang))
    left.set_ylim(bottom=0)
    left.legend(fontsize=7)
    _line(right, summarise(monthly, "access_wait_weeks_mean", [TOTAL]), color="black",
          label=label("access_wait_weeks_mean", lang))
    right.axhline(NORM_WEEKS, color="firebrick", ls="--", lw=1.2, label=label("norm", lang))
    _years(right, lang, label("weeks", lang))
    right.set_ylim(bottom=0)
    right.legend(fontsize=7)
    return _finish(fig, label("queues_title", lang), [label("queues_caption", lang)], monthly, info, lang)


def indicator(yearly: pd.DataFrame, column: str, run: Any = None, lang: str = "en",
              reference: float | None = None) -> Figure:
    """Any column of the yearly table per area (the municipality bold, with its band), with an
    optional reference line (e.g. 0.40 for the informal share, 6 for waits in weeks)."""
    _check(yearly, [column] + list(RATIOS.get(column, ())[:2]))
    info = RunInfo.of(run)
    fig = Figure(figsize=(7.5, 5), layout="constrained")
    ax = fig.subplots()
    _area_lines(ax, yearly, column, lang)
    if reference is not None:
        ax.axhline(reference, color="firebrick", ls="--", lw=1.2, label=f"{reference:g}")
    unit = UNITS.get(column, "")
    _years(ax, lang, f"{label(column, lang)} ({unit})" if unit else label(column, lang))
    ax.legend(fontsize=7, ncol=2)
    definition = DEFINITIONS.get(column)
    return _finish(fig, label(column, lang), [definition] if definition else [], yearly, info, lang)


def pyramid(frame: pd.DataFrame, run: Any = None, lang: str = "en", bin_years: int = 5) -> Figure:
    """The population pyramid of a population frame (``simulation.analysis.population_frame``):
    men left, women right, in age bands of ``bin_years``."""
    _check(frame, ["age", "sex"])
    info = RunInfo.of(run)
    edges = np.arange(0, frame.age.max() + bin_years + 1, bin_years)
    fig = Figure(figsize=(6.5, 6), layout="constrained")
    ax = fig.subplots()
    for sex, sign, color in (("male", -1, "tab:blue"), ("female", 1, "tab:orange")):
        counts, _ = np.histogram(frame.age[frame.sex == sex], edges)
        ax.barh(edges[:-1], sign * counts, height=bin_years * 0.9, align="edge", color=color,
                label=label("men" if sex == "male" else "women", lang))
    ticks = ax.get_xticks()
    ax.set_xticks(ticks, [f"{abs(t):g}" for t in ticks])
    ax.set(xlabel=label("persons", lang), ylabel=label("age", lang))
    ax.legend()
    ax.grid(alpha=0.3)
    title = label("pyramid_title", lang)
    if "year" in frame.attrs:
        title += f", {label('on_1st', lang, month=frame.attrs['month'], year=frame.attrs['year'])}"
    return _finish(fig, title, [], None, info, lang)


def summary(yearly: pd.DataFrame, run: Any = None, lang: str = "en") -> Figure:
    """One page: residents per area, double ageing, the informal share per area against 40%,
    cost against budget (the run's ``summary.png``)."""
    info = RunInfo.of(run)
    fig, axes = _grid(4, 2, 6.0, 4.0)
    _area_lines(axes[0], yearly[yearly.area != TOTAL], "population", lang)
    _years(axes[0], lang, label("residents", lang))
    axes[0].legend(fontsize=7, ncol=2)
    for col in ("share_65_plus", "share_80_plus", "share_85_plus"):
        _line(axes[1], summarise(yearly, col, [TOTAL]), 100, label=label(col, lang))
    _years(axes[1], lang, label("pct_residents", lang))
    axes[1].set_ylim(bottom=0)
    axes[1].legend(fontsize=7)
    _area_lines(axes[2], yearly, "informal_share", lang, 100)
    axes[2].axhline(AMBITION * 100, color="firebrick", ls="--", lw=1.2, label=label("ambition", lang))
    _years(axes[2], lang, label("informal_ylabel", lang))
    axes[2].set_ylim(bottom=0)
    axes[2].legend(fontsize=7, ncol=2)
    _money(axes[3], yearly, ["cost_total_eur", "budget_eur"], info, lang)
    _years(axes[3], lang)
    axes[3].set_ylim(bottom=0)
    axes[3].legend(fontsize=7)
    scenario = info.scenario or str(yearly["scenario"].iloc[0])
    return _finish(fig, label("summary_title", lang, scenario=scenario), [], yearly, info, lang)


DIFFERENCES = [  # (column, label key, factor)
    ("requests", "requests", 1.0),
    ("informal_share", "informal_pp", 100.0),
    ("net_cost_eur", "net_cost", 1e-6),
    ("waiting_list", "waiting_list", 1.0),
    ("carers", "carers", 1.0),
    ("unmet_need_persons", "unmet_need_persons", 1.0),
]


def paired_differences(base: pd.DataFrame, scenario: pd.DataFrame) -> pd.DataFrame:
    """Per replication and year (municipality): scenario minus base for the columns of
    ``DIFFERENCES``; replications are paired by seed (the same random numbers)."""
    def total(df):
        t = df[df.area == TOTAL].set_index(["seed", "year"])
        t = t.assign(net_cost_eur=t.cost_total_eur + t.prevention_spend_eur)
        return t[[c for c, _, _ in DIFFERENCES]]
    b, s = total(base), total(scenario)
    if not b.index.equals(s.index):
        raise PlotError("the two runs differ in seeds or years: compare runs made with the same --seed, "
                        "--replications and years")
    return (s - b).reset_index()


def differences(base: pd.DataFrame, scenario: pd.DataFrame, run: Any = None, lang: str = "en") -> Figure:
    """Fan charts of scenario minus base from paired seeds: the mean difference, and the
    5-95% and 25-75% ranges of the replications' differences."""
    diff = paired_differences(base, scenario)
    info = RunInfo.of(run)
    fig, axes = _grid(len(DIFFERENCES), 3, 4.3, 3.3)
    for ax, (col, key, factor) in zip(axes, DIFFERENCES):
        g = diff.groupby("year")[col]
        if col in RATIOS:  # the difference of the ratios of the summed counts, as everywhere
            mean = (summarise(scenario, col, [TOTAL]).set_index("year").center
                    - summarise(base, col, [TOTAL]).set_index("year").center) * factor
        else:
            mean = g.mean() * factor
        if diff.seed.nunique() > 1:
            for lo, hi, alpha in ((0.05, 0.95, 0.18), (0.25, 0.75, 0.35)):
                ax.fill_between(mean.index, g.quantile(lo) * factor, g.quantile(hi) * factor, color="tab:blue",
                                alpha=alpha, lw=0)
        ax.plot(mean.index, mean.values, color="tab:blue", lw=2)
        ax.axhline(0, color="black", lw=0.8)
        ax.set_title(label(key, lang), fontsize=10)
        _years(ax, lang, label("difference", lang) if ax in axes[::3] else "")
    for ax in axes[len(DIFFERENCES):]:
        ax.axis("off")
    names = dict(scenario=str(scenario["scenario"].iloc[0]), base=str(base["scenario"].iloc[0]))
    n = int(diff.seed.nunique())
    caption = [label("diff_band", lang, n=n) if n > 1 else label("one_rep", lang)]
    return _finish(fig, label("diff_title", lang, **names), caption, None, info, lang,
                   source=label("source_compare", lang, **names))


# --- the standard set and saving ----------------------------------------------------------------
STANDARD: dict[str, Callable[..., Figure]] = {
    "informal_share": informal_share,
    "requests_and_clients": requests_and_clients,
    "waits": waits,
    "carers": carers,
    "staff": staff,
    "money": money,
    "ageing": ageing,
}
FORMATS = ("png", "svg", "pdf")


def save(fig: Figure, path: Path, dpi: int = 110) -> Path:
    """Write ``fig`` (format from the suffix) atomically; the same figure gives the same bytes."""
    from .runner import atomic_write_bytes

    path = Path(path)
    fmt = path.suffix.lstrip(".")
    if fmt not in FORMATS:
        raise PlotError(f"format {fmt!r}: must be one of {', '.join(FORMATS)}")
    buffer = io.BytesIO()
    metadata = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}[fmt]
    with matplotlib.rc_context({"svg.hashsalt": "socialsim"}):  # stable element ids in SVG
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata)
    atomic_write_bytes(path, buffer.getvalue())
    return path


def write_standard(folder: Path, formats: tuple[str, ...] = ("png", "svg"), lang: str = "en") -> list[Path]:
    """``socialsim plot``: the standard set from a results folder into ``folder/figures`` (and
    ``queues`` from the monthly table when there is one); a compare folder (``socialsim
    compare``) gets both runs' figures and the difference fan chart."""
    folder = Path(folder)
    label("year", lang)  # checks lang before any work
    for fmt in formats:
        if fmt not in FORMATS:
            raise PlotError(f"--format {fmt!r}: must be one of {', '.join(FORMATS)}")
    figures: dict[str, Figure] = {}
    runs = {"": folder}
    if (folder / "base" / "yearly.parquet").exists() and (folder / "scenario" / "yearly.parquet").exists():
        runs = {"base_": folder / "base", "scenario_": folder / "scenario"}
        scenario, info = load_results(folder / "scenario")
        figures["differences"] = differences(load_results(folder / "base")[0], scenario, info, lang)
    for prefix, path in runs.items():
        yearly, info = load_results(path)
        for name, make in STANDARD.items():
            figures[prefix + name] = make(yearly, info, lang)
        if (path / "monthly.parquet").exists():
            figures[prefix + "queues"] = queues(load_results(path, "monthly")[0], info, lang)
    suffix = "" if lang == "en" else f"_{lang}"
    return [save(fig, folder / "figures" / f"{name}{suffix}.{fmt}") for name, fig in figures.items() for fmt in formats]
