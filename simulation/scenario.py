"""Scenarios: every parameter typed, with unit, default, allowed range and source.

A scenario is a TOML file (the named ones ship in ``simulation/scenarios/``) with one table per section
(``[run]``, ``[demography]``, ``[network]``), optional per-area overrides
(``[areas."De Velden"]``) and a dated policy timeline (``[[policy]]`` entries that set
parameters from a given year on). ``--set section.key=value`` overrides a value on the
command line. Anything wrong raises :class:`ScenarioError` with one message that names the
field, the value and what is allowed. Types are strict: ``true`` is not 1.0 and ``"6"`` is
not 6 (an integer is a valid number, and numpy scalars count as the Python values they hold).

One module although long (over 450 lines): it is the parameter reference, one class per
section with each field's unit, range and source, read top to bottom (the ODD's parameter tables
are generated from it); splitting the sections across files would scatter that reference and
the loading rules every section shares.
"""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"  # the named scenarios: package data
USER_SCENARIO_DIR = Path("experiments") / "scenarios"  # a project's own files, by name, from its folder


class ScenarioError(ValueError):
    """A scenario file or override is wrong; the message is meant for the user."""


def param(default: Any, *, unit: str, source: str, doc: str, ge: float | None = None,
          le: float | None = None, plausible: tuple[float, float] | None = None,
          plausible_source: str | None = None) -> Any:
    """A documented parameter: the unit and source travel with the field.

    ``plausible`` is the range the evidence supports (what a sensitivity analysis varies), far
    narrower than the validation bounds ``ge``/``le``, which only reject nonsense; levers and
    structural choices have none. ``plausible_source`` says where the range comes from."""
    extra: dict[str, Any] = {"unit": unit, "source": source}
    if plausible is not None:
        extra |= {"plausible": list(plausible), "plausible_source": plausible_source}
    return Field(default, ge=ge, le=le, description=doc, json_schema_extra=extra)


def _plain(data: Any) -> Any:
    """numpy scalars (as samplers and ``mesa.batch_run`` hand them over) as Python values, so
    that strict validation judges the value, not its numpy type."""
    if isinstance(data, dict):
        return {k: v.item() if isinstance(v, np.generic) else v for k, v in data.items()}
    return data


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, strict=True)

    @model_validator(mode="before")
    @classmethod
    def _plain_values(cls, data: Any) -> Any:
        return _plain(data)


class RunSection(Section):
    dataset: str = param("emmen", unit="name", source="simulation/data/",
                         doc="Data set (municipality) to simulate: a folder name under simulation/data or a path")
    start_year: int = param(2016, unit="year", ge=2000, le=2100, source="Emmen, Samen verder in het sociaal domein 2017-2021 (2016): policy period from 2016",
                            doc="First simulated year (1 January); must not be after the data set's age-structure year")
    end_year: int = param(2050, unit="year", ge=2000, le=2150, source="design choice: decades past the 2035-2040 ageing peak",
                          doc="Last simulated year (inclusive, through 31 December)")
    scale: float = param(1.0, unit="fraction of residents", ge=0.001, le=20.0, source="design choice",
                         doc="Population scale: 1 = every resident (1:1); 0.1 = proportional 10% sample")
    warm_up_months: int = param(
        120, unit="months", ge=0, le=600,
        source="design choice: long enough for the slowest stock, customised household help of the old (years per "
               "spell), to settle; measured in docs/odd/initialisation.md",
        doc="Months the needs, care and access processes run on the start population (ages held, deaths and turning 18 "
            "stood in for) before the start; not recorded")


class DemographySection(Section):
    mortality_multiplier: float = param(
        1.0, unit="factor", ge=0.2, le=5.0, source="HMD NL life tables 2016-2019 (data set mortality.csv)",
        doc="Multiplies every age-sex death probability",
        plausible=(0.9, 1.1), plausible_source="judgement: national life tables applied to Emmen; regional mortality differs by some per cent")
    mortality_improvement: float = param(
        0.01, unit="1/year", ge=0.0, le=0.05,
        source="assumption: NL period life expectancy rose ~0.15 years per year 2000-2019 (HMD), about 1%/year lower death rates",
        doc="Yearly relative decline of death probabilities after the last life-table year",
        plausible=(0.005, 0.015), plausible_source="half to one and a half times the 2000-2019 trend of ~1%/year (HMD)")
    fertility_multiplier: float = param(
        1.0, unit="factor", ge=0.0, le=3.0, source="UN WPP 2024 NL age-specific fertility 2016-2023 (data set fertility.csv)",
        doc="Multiplies every age-specific fertility rate; years after the table use its last year",
        plausible=(0.85, 1.15), plausible_source="judgement: regional fertility around the national rates (UN WPP 2024)")
    single_fertility_ratio: float = param(
        0.2, unit="ratio", ge=0.0, le=1.0, source="assumption (most births are to women living with a partner)",
        doc="Birth rate of women without a co-resident partner relative to women with one (age totals keep the ASFR)",
        plausible=(0.1, 0.4), plausible_source="judgement around the calibrated default; no direct evidence")
    projection_variant: Literal["main", "provincial", "none"] = param(
        "main", unit="name", source="data set projection.csv",
        doc="Population projection that in-migration aligns to; 'none' = closed population (no migration in or out)")
    out_migration_multiplier: float = param(
        1.0, unit="factor", ge=0.0, le=5.0, source="data set migration_age_profile.csv (assumption calibrated to gross flows)",
        doc="Multiplies the age-specific out-migration rates of households",
        plausible=(0.8, 1.2), plausible_source="judgement: gross flows are calibrated, the age profile is assumed")
    leave_home_median_age: float = param(
        23.5, unit="years", ge=18.0, le=35.0, source="assumption: CBS reports a median home-leaving age of about 23-24",
        doc="Age by which half of the young adults living with a parent have left home",
        plausible=(22.5, 24.5), plausible_source="CBS: median home-leaving age about 23-24")
    leave_home_outmigration_share: float = param(
        0.35, unit="fraction", ge=0.0, le=1.0,
        source="assumption calibrated to Drenthe cohort loss of ~23% between ages 17 and 22 (Trendbureau Drenthe 2020)",
        doc="Share of home-leavers who leave the municipality (study, work) rather than start a household in it",
        plausible=(0.25, 0.45), plausible_source="calibrated to Drenthe cohort loss (Trendbureau Drenthe 2020); judgement")
    union_rate_multiplier: float = param(
        1.0, unit="factor", ge=0.0, le=5.0,
        source="data set partnership.csv (age profile calibrated to keep its couple shares)",
        doc="Multiplies the age-specific yearly probability that a single adult not living with a parent forms a couple",
        plausible=(0.8, 1.2), plausible_source="judgement around the calibrated default; no direct evidence")
    single_parent_union_factor: float = param(
        0.35, unit="factor", ge=0.0, le=2.0,
        source="assumption: single parents repartner more slowly; keeps the single-parent share near Drenthe's 6.6%",
        doc="Union probability of a single adult living with their minor child, relative to other singles",
        plausible=(0.2, 0.6), plausible_source="judgement around the calibrated default; no direct evidence")
    separation_rate: float = param(
        0.012, unit="1/year", ge=0.0, le=0.2,
        source="CBS 37425ned: 9.9 divorces per 1,000 married couples (2016); cohabiting couples separate more often",
        doc="Yearly probability that a couple separates (the man leaves to a new household in the same area)",
        plausible=(0.008, 0.016), plausible_source="CBS 37425ned: 9.9 divorces per 1,000 married couples; cohabiting couples higher")


class NetworkSection(Section):
    cohesion: float = param(
        0.5, unit="fraction", ge=0.0, le=1.0, source="assumption (no Emmen cohesion index found)",
        doc="Municipal mean social cohesion (the chance that each neighbour slot holds a tie): an area's is this "
            "times its cohesion_index in the data set's areas file, at most 1, unless overridden per area",
        plausible=(0.3, 0.7), plausible_source="no Emmen cohesion index found; weak evidence")
    neighbour_slots: int = param(
        6, unit="households", ge=0, le=30, source="assumption",
        doc="Maximum number of neighbour ties a household names within its area")
    kin_local_share: float = param(
        0.7, unit="fraction", ge=0.0, le=1.0,
        source="assumption: most Drenthe young adults stay in or return to the province (Trendbureau Drenthe 2020)",
        doc="Chance that an adult's parents live in the municipality (the rest live outside it)",
        plausible=(0.5, 0.85), plausible_source="weak evidence: most Drenthe young adults stay in the province (Trendbureau Drenthe 2020)")
    children_per_parent: float = param(
        1.8, unit="children", ge=0.0, le=5.0, source="UN WPP 2024 NL completed fertility ~1.7-1.8",
        doc="Mean number of children of persons aged 40+, used to draw children living outside the municipality",
        plausible=(1.6, 2.0), plausible_source="UN WPP 2024: NL completed fertility ~1.7-1.8")
    area_network_eur_per_resident: float = param(
        0.0, unit="EUR per resident per year (2023 prices)", ge=0.0, le=500.0,
        source="lever: community work and area networks (plan 2016, 4.2: strengthening the informal field)",
        doc="Spending on community work and area networks, which raises each area's cohesion (cost line area_networks)")
    area_network_max_gain: float = param(
        0.3, unit="fraction", ge=0.0, le=2.0,
        source="assumption: community work strengthens neighbourly contact modestly; no Dutch effect size found",
        doc="Largest relative rise of an area's cohesion that area networks buy",
        plausible=(0.0, 0.5), plausible_source="no evidence; judgement")
    area_network_eur_scale: float = param(
        10.0, unit="EUR per resident per year", ge=0.1, le=500.0, source="assumption",
        doc="Spending per resident at which area networks reach 63% of their largest cohesion gain",
        plausible=(5.0, 30.0), plausible_source="no evidence; judgement")


class NeedsSection(Section):
    onset_multiplier: float = param(
        1.0, unit="factor", ge=0.0, le=5.0, source="data set needs_onset.csv (calibrated age profile)",
        doc="Multiplies the age-specific yearly onset probability of a problem",
        plausible=(0.8, 1.2), plausible_source="judgement: calibrated age profile, about 20% either way")
    living_alone_rr: float = param(
        1.5, unit="ratio", ge=0.5, le=4.0,
        source="CBS Statistische Trends 2020: 42% of 70+ living alone use Wmo vs 16% of couples; part of that is help from the partner, which the model has separately",
        doc="Onset relative risk for adults living alone",
        plausible=(1.2, 2.0), plausible_source="weak evidence: CBS Statistische Trends 2020 (42% vs 16% Wmo use, partly help from a partner)")
    female_rr: float = param(
        1.2, unit="ratio", ge=0.5, le=3.0, source="CBS 2018: women use Wmo 1.6 times as often as men, partly through age",
        doc="Onset relative risk for adult women",
        plausible=(1.0, 1.4), plausible_source="weak evidence: CBS 2018, women use Wmo 1.6 times as often as men, partly through age")
    separation_need_prob: float = param(
        0.15, unit="probability", ge=0.0, le=1.0,
        source="assumption; debts and divorce co-occur (CBS Schuldenproblematiek in beeld)",
        doc="Chance that a separation gives each partner a problem (debt help) that month",
        plausible=(0.05, 0.3), plausible_source="no published rate; judgement")
    widowhood_need_prob: float = param(
        0.15, unit="probability", ge=0.0, le=1.0, source="assumption",
        doc="Chance that losing a partner gives a problem (household help when 65+, else individual support)",
        plausible=(0.05, 0.3), plausible_source="no published rate; judgement")
    job_loss_need_prob: float = param(
        0.08, unit="probability", ge=0.0, le=1.0,
        source="assumption; 42% of households with problematic debts have nobody in paid work (CBS 2020)",
        doc="Chance that losing a job gives a problem (debt help)",
        plausible=(0.03, 0.15), plausible_source="no published rate; judgement")
    job_churn_rate: float = param(
        0.12, unit="1/year", ge=0.0, le=1.0, source="assumption: CBS labour-market flows, roughly 1 in 8 change work status a year",
        doc="Yearly probability that a person's work status is drawn afresh (job loss and re-employment)",
        plausible=(0.08, 0.16), plausible_source="weak evidence: CBS labour-market flows")
    share_light: float = param(0.55, unit="fraction", ge=0.0, le=1.0, source="assumption",
                               doc="Share of new problems that are light",
        plausible=(0.4, 0.65), plausible_source="no evidence; judgement (with share_medium at most 0.35 the heavy share stays >= 0)")
    share_medium: float = param(0.33, unit="fraction", ge=0.0, le=1.0, source="assumption",
                                doc="Share of new problems that are medium (the rest are heavy)",
        plausible=(0.2, 0.35), plausible_source="no evidence; judgement (with share_light at most 0.65 the heavy share stays >= 0)")
    hours_light: float = param(2.0, unit="hours/week", ge=0.0, le=40.0, source="assumption (Wmo household help ~2-4 h/week)",
                               doc="Help a light problem takes",
        plausible=(1.0, 4.0), plausible_source="Wmo household help ~2-4 h/week")
    hours_medium: float = param(8.0, unit="hours/week", ge=0.0, le=60.0, source="assumption",
                                doc="Help a medium problem takes",
        plausible=(4.0, 12.0), plausible_source="judgement around the calibrated default; no direct evidence")
    hours_heavy: float = param(20.0, unit="hours/week", ge=0.0, le=100.0,
                               source="assumption; CBS: receivers of mantelzorg 75+ get ~18 h/week",
                               doc="Help a heavy problem takes",
        plausible=(12.0, 30.0), plausible_source="weak evidence: CBS, care receivers 75+ get ~18 h/week of mantelzorg")
    end_rate_light: float = param(0.12, unit="1/month", ge=0.0, le=1.0, source="assumption: light problems last ~8 months",
                                  doc="Monthly probability that a light problem ends",
        plausible=(0.08, 0.2), plausible_source="judgement: light problems last 5-12 months")
    end_rate_medium: float = param(0.05, unit="1/month", ge=0.0, le=1.0, source="assumption: ~20 months",
                                   doc="Monthly probability that a medium problem ends",
        plausible=(0.03, 0.08), plausible_source="weak evidence: Wmo and youth-care durations of 11-44 months (data set, derived by Little's law)")
    end_rate_heavy: float = param(0.025, unit="1/month", ge=0.0, le=1.0, source="assumption: ~40 months",
                                  doc="Monthly probability that a heavy problem ends",
        plausible=(0.015, 0.04), plausible_source="weak evidence: residential youth care ~28 months, protected living longer (derived durations)")
    end_rate_debt: float = param(
        0.012, unit="1/month", ge=0.0, le=1.0,
        source="CBS, Schuldenproblematiek in beeld (2020): 614,000 households with registered problematic debts and "
               "about 84,000 new ones a year, a mean duration of about 7 years; a debt scheme (Wsnp, MSNP) alone "
               "takes 3 years (18 months from 2023) after stabilisation",
        doc="Monthly probability that the registered debts a debt problem brings end (paid off or settled; mean "
            "duration 1/rate months: 0.012 is about 7 years); the problem's need for help ends like any problem's",
        plausible=(0.01, 0.03), plausible_source="CBS stock and inflow (about 7 years); NVVK/Wsnp: schemes of 1.5-3 "
                                                 "years after months of stabilisation: 3-8 years")
    household_help_end_factor: float = param(
        0.15, unit="factor", ge=0.0, le=1.0,
        source="calibrated: with it the yearly use by age comes near CBS's (14.7% of 75-84 and 29.3% of 85+ in 2022; "
               "under-75s 39% of the clients in 2024, CBS 86050NED); clients mostly keep customised household help "
               "until the Wlz, death or a move (docs/odd/needs.md)",
        doc="End-rate multiplier of household-help problems in customised care (household help from a provider): "
            "once indicated, household help lasts longer than other problems' customised care",
        plausible=(0.1, 0.5), plausible_source="weak evidence: CBS 85044NED, household-help arrangements in Groningen "
                                               "municipalities last 17-42 months by Little's law (arrangements are "
                                               "renewed at re-indication, so clients' spells are longer); judgement")
    chronic_age: int = param(75, unit="years", ge=0, le=120, source="assumption: limitations of the old rarely pass",
                             doc="Age from which problems end more slowly")
    chronic_factor: float = param(0.3, unit="factor", ge=0.0, le=1.0, source="assumption",
                                  doc="End rate multiplier from chronic_age on",
        plausible=(0.15, 0.5), plausible_source="judgement around the calibrated default; no direct evidence")
    escalation_rate: float = param(
        0.04, unit="1/month", ge=0.0, le=1.0,
        source="assumption; no published escalation rates",
        doc="Monthly probability that a problem waiting for help (queue, waiting list) becomes more severe",
        plausible=(0.01, 0.1), plausible_source="no published escalation rates; judgement")
    waiting_end_factor: float = param(
        0.5, unit="factor", ge=0.0, le=1.0,
        source="assumption: help shortens a problem; no published resolution rates of untreated Wmo or youth problems",
        doc="End-rate multiplier of a problem while it waits for help (access-team queue, waiting list): an untreated "
            "problem lasts longer than a treated one, so waiting does not end problems as fast as help does",
        plausible=(0.3, 0.9), plausible_source="no evidence; judgement (1 would make waiting as good as help)")
    crisis_eur_per_escalation: float = param(
        1021.0, unit="EUR per escalation (2023)", ge=0.0, le=100000.0,
        source="assumption: five days of a 24-hour crisis or respite place at EUR 204.21 (Westerveld, Tarieven Wmo 2023)",
        doc="Crisis care that a problem escalating while it waits costs (cost line crisis)",
        plausible=(300.0, 3000.0), plausible_source="judgement: one to fifteen crisis days")

    @model_validator(mode="after")
    def _shares(self) -> "NeedsSection":
        if self.share_light + self.share_medium > 1.0:
            raise ValueError(f"needs.share_light + needs.share_medium = {self.share_light + self.share_medium}: "
                             "must be at most 1 (the rest are heavy)")
        return self


class InformalCareSection(Section):
    capacity_multiplier: float = param(1.0, unit="factor", ge=0.0, le=5.0, source="lever",
                                       doc="Multiplies every resident's carer capacity")
    hours_not_employed: float = param(
        14.0, unit="hours/week", ge=0.0, le=60.0, source="assumption calibrated to CBS 2022 carer rates by age",
        doc="Carer capacity of an adult not in paid work, aged 18-74",
        plausible=(10.0, 18.0), plausible_source="calibrated to CBS 2022 carer rates by age; judgement")
    hours_employed: float = param(
        7.0, unit="hours/week", ge=0.0, le=60.0, source="assumption calibrated to CBS 2022 carer rates by age",
        doc="Carer capacity of an adult in paid work",
        plausible=(5.0, 10.0), plausible_source="calibrated to CBS 2022 carer rates by age; judgement")
    young_adult_factor: float = param(
        0.2, unit="factor", ge=0.0, le=1.0, source="assumption calibrated to CBS 2022: 3.7% of 20-24 are carers",
        doc="Capacity multiplier at 18-24 (study, starting work)",
        plausible=(0.1, 0.35), plausible_source="calibrated to CBS 2022 (3.7% of 20-24 are carers); judgement")
    old_age_factor: float = param(0.45, unit="factor", ge=0.0, le=1.0, source="assumption",
                                  doc="Capacity multiplier at 75-84 (squared from 85)",
        plausible=(0.3, 0.6), plausible_source="judgement around the calibrated default; no direct evidence")
    female_factor: float = param(1.15, unit="factor", ge=1.0, le=2.0, source="SCP 2016: 56% of carers are women",
                                 doc="Women's capacity multiplier (men get 2 minus this)",
        plausible=(1.05, 1.25), plausible_source="SCP 2016: 56% of carers are women")
    women_willing_ratio: float = param(
        2.0, unit="ratio", ge=0.2, le=5.0,
        source="CBS Statistische Trends 2024 (Vader en moeder op leeftijd, ch. 4): half of the daughters and a quarter "
               "of the sons of 80-plus parents were carers in 2022; VZinfo 2022: 15.0% of women and 10.9% of men 16+",
        doc="Willingness of women relative to men where care is a choice (kin and neighbours; not the household, "
            "not volunteers): each tie's probability is split about its mean in this ratio",
        plausible=(1.4, 2.4), plausible_source="CBS 2024: daughters of 80-plus parents twice as often carers as sons; "
                                                "the rate ratio of all women to men 1.4 (VZinfo 2022)")
    willing_household: float = param(0.9, unit="probability", ge=0.0, le=1.0, source="assumption",
                                      doc="Share of household members willing to help",
        plausible=(0.8, 1.0), plausible_source="judgement around the calibrated default; no direct evidence")
    willing_kin: float = param(0.55, unit="probability", ge=0.0, le=1.0, source="assumption calibrated to CBS carer rates",
                               doc="Share of kin living elsewhere in the same area willing to help",
        plausible=(0.4, 0.7), plausible_source="calibrated to CBS carer rates; judgement")
    distance_factor: float = param(0.6, unit="factor", ge=0.0, le=1.0, source="assumption: distance lowers care (SCP)",
                                   doc="Willingness of kin in another area relative to kin in the same area",
        plausible=(0.4, 0.8), plausible_source="weak evidence: distance lowers care (SCP)")
    willing_neighbour: float = param(
        0.12, unit="probability", ge=0.0, le=1.0, source="assumption; scaled by area cohesion / 0.5",
        doc="Share of neighbours willing to help at cohesion 0.5",
        plausible=(0.06, 0.2), plausible_source="judgement around the calibrated default; no direct evidence")
    parent_care_age: float = param(
        75.0, unit="years", ge=18.0, le=121.0,
        source="assumption: SCP (Mantelzorg 2016, 2019): most carers help a parent or parent-in-law, partners are a "
               "minority of carers; CBS 2022: the carer rate peaks at 50-64, the age of the children of the old",
        doc="Age from which a person's children and children-in-law living elsewhere, where kin are asked (the own "
            "network, support the access team arranges, help alongside a formal provision), are asked before the "
            "household (an old partner), willing as kin, instead of after it; 121 turns it off",
        plausible=(70, 85), plausible_source="judgement: the age at which children take on most of a parent's care")
    outside_child_hours: float = param(
        1.0, unit="hours/week", ge=0.0, le=20.0, source="assumption: children living elsewhere help at a distance",
        doc="Hours a week each child living outside the municipality gives",
        plausible=(0.5, 2.0), plausible_source="judgement around the calibrated default; no direct evidence")
    daily_care_light: float = param(
        0.0, unit="hours/week", ge=0.0, le=60.0,
        source="assumption: a light limitation needs no care around it at home beyond its help hours (with 2 "
               "h/week, partners of the young with light problems lifted the carer rate at 20-49 above CBS's)",
        doc="Hours a week of daily care a carer living with the person helped gives around a light problem, beside "
            "the problem's help hours (not counted against them)",
        plausible=(0.0, 3.0), plausible_source="no evidence; judgement")
    daily_care_medium: float = param(
        22.0, unit="hours/week", ge=0.0, le=80.0,
        source="assumption calibrated to CBS 2022 (12 h/week per carer; 36% give 8+ h/week); SCP (Informele hulp: "
               "wie doet er wat?, 2015; Voor elkaar?, 2017): carers of a partner or a child at home give the most "
               "hours, about 20 a week or more",
        doc="Hours a week of daily care a carer living with the person helped gives around a medium problem, beside "
            "the problem's help hours (supervision, company, personal care, running the home)",
        plausible=(10.0, 25.0), plausible_source="SCP: co-resident carers give about 20+ h/week in all; judgement")
    daily_care_heavy: float = param(
        40.0, unit="hours/week", ge=0.0, le=100.0,
        source="assumption: SCP (Informele hulp: wie doet er wat?, 2015; Voor elkaar?, 2017): partners and parents "
               "at home are the long and intensive carers, often 20-40 h/week",
        doc="Hours a week of daily care a carer living with the person helped gives around a heavy problem, beside "
            "the problem's help hours",
        plausible=(25.0, 45.0), plausible_source="SCP: intensive co-resident carers give 20-40 h/week and more; "
                                                  "judgement")
    coresident_capacity_factor: float = param(
        4.0, unit="factor", ge=1.0, le=6.0,
        source="assumption: a carer at home with the person helped fits care around the day (no travel, care "
               "shared with the household's routine)",
        doc="Carer capacity multiplier of a person who gives daily care to someone they live with",
        plausible=(2.5, 5.0), plausible_source="no evidence; judgement, with strain_gain fitted to the heavily "
                                               "burdened share")
    daily_care_least_share: float = param(
        0.75, unit="fraction", ge=0.0, le=1.0,
        source="assumption: SCP (Informele hulp: wie doet er wat?, 2015): co-resident carers combine care with work "
               "and give what they can around it; 1 turns partial daily care off",
        doc="Least share of the daily care hours a household member must be able to give (home capacity left) to "
            "take the daily care on; they give what their home capacity allows, up to the hours",
        plausible=(0.3, 1.0), plausible_source="no evidence; judgement")
    daily_care_parent: float = param(
        8.0, unit="hours/week", ge=0.0, le=40.0,
        source="assumption: CBS Statistische Trends 2024 (Vader en moeder op leeftijd, ch. 4): children of 80-plus "
               "parents living alone care more often than those whose parent has a partner, children living near most "
               "often and most intensively; 28% of the child carers of 80-plus parents give 8 h/week or more",
        doc="Hours a week of daily care one child gives around an old parent's medium or heavy care problem when "
            "nobody at home gives it (visits, meals, supervision, errands), beside the problem's help hours",
        plausible=(4.0, 12.0), plausible_source="CBS 2024: the intensive child carers give 8 h/week or more; judgement")
    usual_help_hours: float = param(
        2.0, unit="hours/week", ge=0.0, le=60.0,
        source="assumption: Wmo 2015 art. 1.1.1 (usual help, gebruikelijke hulp: what a spouse, parents or co-resident "
               "children may reasonably be expected to do) and the municipalities' household-help protocols (co-resident "
               "adults take over household tasks); mantelzorg is care beyond usual help (MantelzorgNL, CBS's survey "
               "question); 0 counts all help at home, as before",
        doc="Hours a week of a household member's help with household tasks, or of help between a parent and a child "
            "living together, that are usual help and not counted as mantelzorg (carer counts and hours); the hours "
            "beyond them count, as do daily care and a partner's other help",
        plausible=(1.0, 8.0), plausible_source="judgement: the help hours of a light problem (about 2 h/week) are "
                                                "usual; more than 8 h/week is care by the narrow definition's own threshold")
    alongside_formal_share: float = param(
        0.4, unit="fraction", ge=0.0, le=1.0,
        source="assumption: most home-dwelling Wmo clients also receive mantelzorg (SCP)",
        doc="Share of a formally met problem's hours that household and kin still give, where able",
        plausible=(0.2, 0.7), plausible_source="weak evidence: most home-dwelling Wmo clients also get mantelzorg (SCP)")
    waiting_help_share: float = param(
        0.0, unit="fraction", ge=0.0, le=1.0,
        source="assumption: the network carries the wait for a provision (SCP, Movisie); 0 (off) until the "
               "calibration is rerun with it (it adds carers and hours, which are fit targets); 0.4, as "
               "alongside_formal_share, is the value measured in docs/odd/informal_care.md",
        doc="Share of the problem hours of a client on the waiting list for a customised provision that kin living "
            "elsewhere give, where able (the household's part is its daily care at home): carers' hours and strain, "
            "not a request solved",
        plausible=(0.0, 0.8), plausible_source="no evidence; judgement (SCP: most of those waiting lean on their network; "
                                                 "0, the default until the calibration includes it, is no help while waiting)")
    volunteer_share: float = param(
        0.05, unit="fraction", ge=0.0, le=0.5,
        source="SCP: ~1M volunteers in care and support (2016), 630k regular (2014), about 5% of adults",
        doc="Share of residents aged 18-79 who volunteer in care and support (recruitment lever)",
        plausible=(0.04, 0.075), plausible_source="SCP: 630k regular (2014) to 1M (2016) volunteers in care and support")
    volunteer_individual_share: float = param(
        0.25, unit="fraction", ge=0.0, le=1.0,
        source="assumption: most care volunteers work in organisations and group activities; a minority support "
               "someone at home (buddy, home visits, help with administration)",
        doc="Share of care volunteers available for individual support at home: with volunteer_share, the area's "
            "volunteer pool the access team draws on",
        plausible=(0.15, 0.4), plausible_source="no evidence; judgement")
    volunteer_hours: float = param(
        4.0, unit="hours/week", ge=0.0, le=40.0,
        source="assumption: a volunteer gives a few hours a week, in total over those they support",
        doc="The most hours a week one volunteer gives",
        plausible=(2.0, 6.0), plausible_source="judgement: volunteering is a few hours a week")
    volunteer_eur_year: float = param(
        600.0, unit="EUR per pool volunteer per year (2023)", ge=0.0, le=10000.0,
        source="assumption: one coordinator (EUR 75,000 a year, as an access-team FTE) per about 125 volunteers: "
               "recruitment, matching, training, retention; expenses included",
        doc="What the volunteer pool costs per volunteer in it (cost line volunteers)",
        plausible=(300.0, 1200.0), plausible_source="judgement: one coordinator per 60-250 volunteers")
    strain_gain: float = param(0.10, unit="1/month", ge=0.0, le=2.0,
                               source="assumption calibrated to 19% of carers heavily burdened (CBS 2022)",
                               doc="Strain added per month at a load of 1 (hours given = capacity)",
        plausible=(0.07, 0.14), plausible_source="calibrated to 19% of carers heavily burdened (CBS 2022); judgement")
    burden_spread: float = param(
        0.5, unit="fraction", ge=0.0, le=0.95,
        source="assumption: CBS Statistische Trends 2024 (ch. 4): at 8-12 h/week of care 34% of daughters and 24% of "
               "sons of 80-plus parents feel heavily burdened (the same hours weigh differently); SCP (Mantelzorgers "
               "in het vizier, 2017): burden depends on the relation, the problem and the carer's circumstances",
        doc="Spread of carers' persistent sensitivity to load: each carer's strain gain is strain_gain times a "
            "factor uniform between 1 - spread and 1 + spread",
        plausible=(0.2, 0.8), plausible_source="no direct evidence; judgement")
    strain_recovery: float = param(0.15, unit="1/month", ge=0.0, le=1.0, source="assumption",
                                   doc="Fraction of strain that fades each month",
        plausible=(0.1, 0.25), plausible_source="judgement around the calibrated default; no direct evidence")
    heavy_burden_threshold: float = param(0.6, unit="strain", ge=0.0, le=5.0, source="assumption",
                                          doc="Strain above which a carer counts as heavily burdened",
        plausible=(0.5, 0.7), plausible_source="judgement around the calibrated default; no direct evidence")
    dropout_threshold: float = param(0.75, unit="strain", ge=0.0, le=5.0, source="assumption",
                                     doc="Strain above which a carer may stop",
        plausible=(0.6, 0.9), plausible_source="judgement around the calibrated default; no direct evidence")
    dropout_rate: float = param(0.2, unit="1/month", ge=0.0, le=1.0, source="assumption",
                                doc="Monthly probability that a carer above the dropout threshold stops",
        plausible=(0.1, 0.3), plausible_source="judgement around the calibrated default; no direct evidence")
    carer_own_need_prob: float = param(
        0.2, unit="probability", ge=0.0, le=1.0, source="assumption: derailed carers often need support themselves",
        doc="Chance that a carer who stops develops a problem of their own (individual support)",
        plausible=(0.1, 0.3), plausible_source="judgement around the calibrated default; no direct evidence")
    respite_uptake: float = param(
        0.1, unit="1/month", ge=0.0, le=1.0, source="lever; assumption for the baseline",
        doc="Monthly chance that a heavily burdened carer gets respite care / carer support")
    respite_relief: float = param(
        0.3, unit="fraction", ge=0.0, le=1.0,
        source="Cochrane CD004396 (2014): very low quality, no significant effect; Mittelman 2006: support delays placement",
        doc="Fraction of a carer's strain removed by a month with respite",
        plausible=(0.0, 0.5), plausible_source="weak evidence: Cochrane CD004396 (no significant effect); Mittelman 2006 (support delays placement)")


class SubstitutionSection(Section):
    """What informal help (kin, neighbours), volunteers and general provisions can take on: the
    judgement calls among the domain rules (the fixed ones are in ``domain.DOMAINS``)."""

    informal_household_help: float = param(
        0.0, unit="fraction", ge=0.0, le=1.0,
        source="assumption: weekly housework for someone outside the household is rarely taken on by kin or "
               "neighbours; the own household, volunteer home help (a general provision) or household help meet it",
        doc="Share of household-help problems that kin, neighbours and volunteers can take on (own network and "
            "support arranged by the access team)",
        plausible=(0.0, 0.3), plausible_source="no evidence; judgement")
    informal_aids_adaptations: float = param(
        0.0, unit="fraction", ge=0.0, le=1.0,
        source="assumption: aids and adaptations are goods and building work; kin can fit a small adaptation",
        doc="Share of aids-and-adaptations problems that kin, neighbours and volunteers can take on",
        plausible=(0.0, 0.2), plausible_source="no evidence; judgement")
    informal_youth_care: float = param(
        0.0, unit="fraction", ge=0.0, le=1.0,
        source="assumption: parents' own network helps with upbringing but not with the problems youth care treats; "
               "the access team can still arrange support (volunteers, a mobilised network)",
        doc="Share of youth-care problems that the own network (kin, neighbours) can take on when asked",
        plausible=(0.0, 0.2), plausible_source="no evidence; judgement")
    general_heavy: float = param(
        0.0, unit="fraction", ge=0.0, le=1.0,
        source="assumption: general provisions (group activities, volunteer home help) are for light and medium problems",
        doc="Share of heavy problems that a general provision can meet (light and medium ones always can, in its domains)",
        plausible=(0.0, 0.2), plausible_source="no evidence; judgement")
    heavy_hours_ratio: float = param(
        1.5, unit="informal hours per hour of need", ge=1.0, le=5.0,
        source="assumption: heavy professional support is not replaced hour for hour: untrained helpers need more "
               "time, and part of it (personal care, treatment) they cannot take over",
        doc="Hours of informal help a heavy problem needs when the access team arranges informal support instead of "
            "professional support",
        plausible=(1.0, 2.5), plausible_source="no evidence; judgement")


class AccessTeamSection(Section):
    staff_fte_per_10k: float = param(
        4.0, unit="FTE per 10,000 residents", ge=0.0, le=50.0,
        source="assumption: one team per 15,000-17,000 residents (Emmen policy plan 2016, 3.1)",
        doc="Investigating staff per area at the start, per 10,000 residents",
        plausible=(3.0, 8.0), plausible_source="weak evidence: one team per 15,000-17,000 residents (Emmen policy plan 2016, 3.1)")
    staff_multiplier: float = param(1.0, unit="factor", ge=0.0, le=5.0, source="lever",
                                    doc="Multiplies the access team's staff")
    cases_per_fte_month: float = param(
        12.0, unit="households per FTE per month", ge=0.0, le=100.0, source="assumption",
        doc="Investigations one FTE completes in a month",
        plausible=(8.0, 20.0), plausible_source="no published caseloads found; judgement")
    informal_first: float = param(
        0.5, unit="probability", ge=0.0, le=1.0,
        source="lever; the plan asks the team to engage informal care first (Emmen policy plan 2016, 4.2)",
        doc="Referral strength: chance that the team tries informal support before anything formal")
    heavy_informal_factor: float = param(0.2, unit="probability", ge=0.0, le=1.0, source="assumption",
                                         doc="Chance that informal support is tried at all for a heavy problem",
        plausible=(0.1, 0.35), plausible_source="judgement around the calibrated default; no direct evidence")
    mobilisation: float = param(
        1.5, unit="factor", ge=1.0, le=5.0, source="assumption: a kitchen-table conversation mobilises the network",
        doc="Multiplies network members' available hours when the team arranges informal support",
        plausible=(1.2, 2.0), plausible_source="judgement around the calibrated default; no direct evidence")
    mobilisation_time: float = param(
        1.0, unit="investigations per unit of mobilisation above 1", ge=0.0, le=10.0,
        source="assumption: mobilising a network is an extra kitchen-table meeting with the network and its "
               "follow-up; at mobilisation 1.5 an attempt takes half an investigation's time",
        doc="Staff time one attempt to arrange informal support takes (times mobilisation - 1), taken from the "
            "team's investigations",
        plausible=(0.5, 2.0), plausible_source="no evidence; judgement")
    advice_share: float = param(0.5, unit="probability", ge=0.0, le=1.0,
                                source="assumption: most light questions need only information and advice (plan 4.2)",
                                doc="Chance that a light question in an advisable domain is settled by the team",
        plausible=(0.3, 0.7), plausible_source="weak evidence: most light questions need only advice (plan 2016, 4.2)")
    breakthrough_share: float = param(
        0.0, unit="probability", ge=0.0, le=1.0,
        source="lever; the breakthrough method (doorbraakmethode) with a structural custom budget (Emmen 2025 budget, programme 9)",
        doc="Chance that the team settles a heavy problem, or one of a household with several, with a one-off custom budget")
    breakthrough_eur_per_case: float = param(
        3000.0, unit="EUR per case (2023)", ge=0.0, le=100000.0, source="assumption",
        doc="Cost of one custom-budget solution",
        plausible=(1000.0, 10000.0), plausible_source="no evidence; judgement")
    transition_support: float = param(
        0.0, unit="strength 0-1", ge=0.0, le=1.0,
        source="lever; integral approach for 16-27 year olds, the 18-/18+ transition from the Youth Act to the Wmo (Emmen 2025 budget, programme 9)",
        doc="Share of the transition gaps at 18 that support for young adults prevents")
    transition_gap_share: float = param(
        0.4, unit="probability", ge=0.0, le=1.0, source="assumption",
        doc="Chance that a young person's youth care ends at 18 without continuation (without transition support)",
        plausible=(0.2, 0.6), plausible_source="no evidence; judgement")
    youth_gp_referral_share: float = param(
        0.8, unit="fraction", ge=0.0, le=1.0,
        source="Emmen policy plan 2016, 4.1: 80-90% of youth-care referrals come through GPs and other doctors",
        doc="Share of youth-care requests referred directly to customised youth care, bypassing the team",
        plausible=(0.8, 0.9), plausible_source="Emmen policy plan 2016, 4.1: 80-90% of referrals through GPs and doctors")


class ProvisionsSection(Section):
    general_places_per_1000: float = param(
        6.0, unit="places per 1,000 residents", ge=0.0, le=200.0, source="assumption",
        doc="Places in general provisions (community centres, group activities, volunteer home help) per area",
        plausible=(3.0, 15.0), plausible_source="no evidence; judgement")
    general_capacity_multiplier: float = param(1.0, unit="factor", ge=0.0, le=10.0, source="lever",
                                               doc="Multiplies general-provision places")
    protected_places_per_10k: float = param(
        46.0, unit="places per 10,000 residents", ge=0.0, le=500.0,
        source="about 500 protected-living clients in south-east Drenthe (Emmen policy plan 2016, 5.2), for which Emmen is the central municipality",
        doc="Protected-living places the municipality contracts centrally (paid per place, occupied or not)",
        plausible=(40.0, 52.0), plausible_source="about 500 clients in south-east Drenthe (plan 2016, 5.2); judgement on the catchment")
    aids_with_household_help: float = param(
        0.4, unit="fraction", ge=0.0, le=1.0,
        source="assumption: CBS 2019, 65% of Wmo clients have aids and services, 38% household help, 27% support at "
               "home, 4% residential care: the shares sum to 134%, so about a third of the clients have two kinds; "
               "aids and household help are the two commonest, both mostly of the old",
        doc="Share of customised household-help clients who also use an aid or Wmo service (wheelchair, mobility "
            "scooter, transport pass), costed on the aids line at the aids cost per client (a person has one problem "
            "at a time: the aid is their second provision)",
        plausible=(0.15, 0.5), plausible_source="weak evidence: CBS 2019 shares of Wmo clients by kind (sum 134%)")


class ProvidersSection(Section):
    subcontractors_per_area: int = param(
        2, unit="providers", ge=0, le=10, source="Emmen policy plan 2016, 3.1: a lead contractor per area, specialists as subcontractors",
        doc="Specialist subcontractors per area besides the lead contractor")
    lead_preference: float = param(0.7, unit="probability", ge=0.0, le=1.0, source="assumption",
                                   doc="Share of clients whose first choice is the lead contractor",
        plausible=(0.5, 0.85), plausible_source="judgement around the calibrated default; no direct evidence")
    hours_per_fte: float = param(36.0, unit="hours/week", ge=1.0, le=60.0, source="collective agreement working week",
                                 doc="Working hours of one FTE")
    productivity: float = param(0.65, unit="fraction", ge=0.05, le=1.0,
                                source="assumption: share of working hours spent with clients",
                                doc="Direct client hours per working hour",
        plausible=(0.5, 0.75), plausible_source="judgement: share of working hours with clients")
    staffing_slack: float = param(0.05, unit="fraction", ge=0.0, le=1.0, source="assumption",
                                  doc="Staff providers want above their current demand",
        plausible=(0.0, 0.1), plausible_source="judgement around the calibrated default; no direct evidence")
    youth_accepted_wait_weeks: float = param(
        14.0, unit="weeks", ge=0.0, le=52.0,
        source="assumption: youth-care providers and their funders plan staff for the waiting list only beyond a "
               "normal backlog; the sector's Treeknorm accepts 14 weeks (4 to intake, 10 to treatment), and one "
               "region's ambulant youth help waited 13-14 weeks in 2022-23 (Jeugdautoriteit; Jeugdhulp Rijnmond) "
               "beside vacancy rates of about 5% (CBS 2022), so the waiting list is not in the staff wanted",
        doc="Wait a youth-care provider accepts: it recruits for its clients and for its waiting list beyond the "
            "formal hours it starts in this many weeks (its backlog), so waits settle near it while staff can be "
            "hired",
        plausible=(8.0, 20.0), plausible_source="calibrated to the observed youth-care wait (13-14 weeks); the "
                                                "Treeknorm of 14 weeks")
    wmo_accepted_wait_weeks: float = param(
        2.0, unit="weeks", ge=0.0, le=52.0,
        source="assumption from Wmo contracts' start terms: a provider starts household help within two weeks of the "
               "indication (Maastricht, via RTV Maastricht 2023); waits beyond it come from open posts (Kassa survey, "
               "January 2023: ~6,000 people with a decision waiting for a household-help provider in half of the "
               "municipalities, 11 weeks on average from request to help at home)",
        doc="Wait a household-help or support provider accepts (as youth_accepted_wait_weeks)",
        plausible=(0.0, 8.0), plausible_source="judgement: from no accepted wait to the statutory 8-week term of the "
                                                "decision")
    bridging_share: float = param(
        0.0, unit="fraction", ge=0.0, le=1.0,
        source="lever: bridging care (overbruggingszorg) for every client on a waiting list; Emmen's plan and "
               "budget table name none, so 0 in the baseline beyond the urgent (bridging_share_heavy)",
        doc="Share of the indicated formal hours a client waiting for a customised provision gets as bridging "
            "care from hired staff, billed to the provision's budget line")
    bridging_share_heavy: float = param(
        0.5, unit="fraction", ge=0.0, le=1.0,
        source="assumption: municipalities commission bridging care (overbruggingszorg) for those who cannot wait "
               "(Assen, 2018: with waiting times, 'guaranteed care for the most vulnerable'); no published share of "
               "the indicated hours, so half of them",
        doc="Share of the indicated formal hours a client with a heavy (urgent) problem gets as bridging care from "
            "hired staff while waiting for a provider (at least bridging_share)",
        plausible=(0.25, 1.0), plausible_source="judgement: from a quarter of the hours to the whole indication")
    agency_premium: float = param(
        1.5, unit="factor", ge=1.0, le=3.0,
        source="assumption: bridging care comes from hired (agency, self-employed) staff, dearer than employed "
               "staff, since the provider's own staff is short",
        doc="Tariff multiplier of bridging care",
        plausible=(1.2, 2.0), plausible_source="judgement: hired care staff commonly cost a quarter to double more")


class OtherPayersSection(Section):
    """What the municipality's waiting and its decisions cost outside its books, reported beside its cost
    (``cost_other_payers_eur``, ``cost_societal_eur``): health insurance (Zvw) after escalations, long-term
    care (Wlz) of those who left the Wmo for it, and the informal carers' hours at a shadow price (the care those
    waiting go without is priced at its tariff, ``care_not_delivered_eur``)."""
    zvw_eur_per_escalation_wmo: float = param(
        1000.0, unit="EUR per escalation (2023)", ge=0.0, le=50000.0,
        source="assumption sized on VeiligheidNL (2021): about 280 people aged 65+ a day at the emergency department "
               "after a fall, with medical costs over EUR 1 billion (2020), about EUR 10,000 each; one in ten "
               "escalations of an adult Wmo problem while waiting ends there (a fall, a crisis at home), the rest "
               "cost a GP's visit or less",
        doc="Health-insurance (Zvw) care (GP, emergency department, hospital) an adult Wmo problem (household help, "
            "individual support, day activities, aids, protected living) causes each time it escalates while waiting",
        plausible=(300.0, 3000.0), plausible_source="judgement: 3-30% of escalations at the emergency department")
    zvw_eur_per_escalation_other: float = param(
        100.0, unit="EUR per escalation (2023)", ge=0.0, le=50000.0,
        source="assumption: a GP's visit or two; the crisis care of youth is the municipality's (Youth Act, cost line "
               "crisis) and debts cost no health care directly",
        doc="Health-insurance (Zvw) care a youth-care or debt problem causes each time it escalates while waiting",
        plausible=(0.0, 500.0), plausible_source="judgement: none to a few GP and mental-health visits")
    wlz_eur_per_client_year: float = param(
        68000.0, unit="EUR per client-year (2023)", ge=0.0, le=200000.0,
        source="Vektis via De Telegraaf (2018): a Wlz user cost EUR 57,000 a year on average in 2017 (50,000 in "
               "2015); in 2023 prices with the tariffs' labour index (J(2017) = 0.836)",
        doc="Long-term care (Wlz) a resident who left the Wmo for the Wlz costs a year (cost_other_payers_eur)",
        plausible=(45000.0, 90000.0), plausible_source="judgement: at home with a Wlz package to a nursing home")
    informal_eur_per_hour: float = param(
        17.5, unit="EUR per hour (2023)", ge=0.0, le=100.0,
        source="Dutch costing manual for economic evaluations (Hakkaart-van Roijen et al. 2015, Kostenhandleiding): "
               "informal care at the replacement (shadow) price of household help, EUR 14 per hour in 2014 prices; "
               "about EUR 17.50 in 2023 prices (CPI)",
        doc="Shadow price of an hour of informal care (informal_care_value_eur, part of cost_societal_eur)",
        plausible=(9.3, 32.4), plausible_source="EUR 9.30-10: well-being valuation (Van den Berg and Ferrer-i-Carbonell "
                                                "2007); EUR 32.40: household help's tariff (Westerveld 2023)")


class LabourMarketSection(Section):
    turnover_rate: float = param(
        0.21, unit="1/year", ge=0.0, le=1.0,
        source="CBS/PW 2023: ~11% leave the sector and ~10% switch employer within it each year",
        doc="Yearly share of a provider's staff that leaves it",
        plausible=(0.17, 0.25), plausible_source="CBS/PW 2023: ~11% leave the sector, ~10% switch employer")
    stay_in_sector_share: float = param(0.5, unit="fraction", ge=0.0, le=1.0, source="CBS/PW 2023 (10 of 21 points)",
                                        doc="Share of leavers who stay in care and welfare (back to the regional pool)",
        plausible=(0.4, 0.6), plausible_source="CBS/PW 2023 (10 of 21 points)")
    supply_growth: float = param(
        0.015, unit="1/year", ge=-0.2, le=0.2,
        source="CBS: care and welfare employment grew from ~1.4M (2015) to 1.6M (2022), ~1.5-2%/year; lever for the shortage scenario (ABF Research 2023: NL shortage ~55k in 2024 -> ~190k in 2033)",
        doc="Yearly growth of new entrants to the regional care labour market (negative: shrinking supply)",
        plausible=(-0.02, 0.02), plausible_source="from the staff-shortage scenario to the 2015-2022 growth (CBS; ABF Research 2023)")
    hire_share: float = param(0.3, unit="1/month", ge=0.0, le=1.0, source="assumption",
                              doc="Share of the regional pool providers can hire in a month",
        plausible=(0.15, 0.45), plausible_source="judgement around the calibrated default; no direct evidence")
    initial_pool_share: float = param(0.05, unit="fraction", ge=0.0, le=1.0,
                                      source="CBS 2022: 44 vacancies per 1,000 jobs in care (order of magnitude)",
                                      doc="Job seekers in the pool at the start, relative to the staff employed",
        plausible=(0.03, 0.07), plausible_source="CBS 2022: 44 vacancies per 1,000 jobs in care (order of magnitude)")
    opens_after_months: int = param(
        60, unit="months", ge=0, le=600,
        source="design choice: the default warm-up, which the stock of clients takes to settle",
        doc="Months of the social processes, warm-up included, before the labour market opens balanced on the "
            "providers' staff then (until then staff follows demand at once); so staffing does not depend on "
            "run.warm_up_months")
    mobility: float = param(
        0.05, unit="1/month", ge=0.0, le=1.0,
        source="assumption: job seekers without open posts in their profession retrain or apply elsewhere in care and "
               "welfare; ~10% of its workers change employer within the sector each year (CBS/PW 2023)",
        doc="Monthly share of a profession's job seekers beyond its open posts who move to professions with more open "
            "posts than job seekers",
        plausible=(0.01, 0.15), plausible_source="no published rate; judgement from the within-sector job changes (CBS/PW 2023)")
    regional_sector_multiple: float = param(
        6.0, unit="factor", ge=0.0, le=50.0,
        source="assumption from CBS: care and welfare employs 1 in 6 workers (2022; ../DATA.md); Emmen's ~108,000 "
               "residents hold ~50,000 jobs, so ~8,000 in care and welfare, against ~1,200 FTE of the municipality's "
               "Wmo and youth-care providers and access team: the rest of the region's sector is about 6 times theirs",
        doc="The rest of the region's care and welfare staff whose job changers can take the municipality's open posts, "
            "relative to the staff of the municipality's employers when the market opens",
        plausible=(3.0, 12.0), plausible_source="judgement: only part of the sector does this work (3); commuting "
                                                "from south-east Drenthe widens the region (12)")
    regional_demand_growth: float = param(
        0.015, unit="1/year", ge=-0.2, le=0.2,
        source="CBS: care and welfare employment grew ~1.5-2%/year 2015-2022 at a vacancy rate near 44 per 1,000, so "
               "demand grew about as fast as the staff (supply_growth)",
        doc="Yearly growth of the staff the rest of the region's care and welfare sector wants; its vacancy rate stays "
            "at normal_vacancy_rate while supply_growth keeps pace and rises when it falls behind",
        plausible=(0.01, 0.03), plausible_source="CBS 2015-2022 employment growth; ABF Research 2023 (shortage growing to 2033)")
    normal_vacancy_rate: float = param(
        0.044, unit="fraction of staff wanted", ge=0.0, le=0.5,
        source="CBS Q3 2022: 44 vacancies per 1,000 jobs in care (via Skipr; ../DATA.md)",
        doc="Vacancy rate at which wages keep pace with the care wage index (no shortage premium builds up)",
        plausible=(0.03, 0.06), plausible_source="CBS: 44 per 1,000 jobs in care (2022), 67 in mental health care")
    wage_response: float = param(
        0.2, unit="1/year per unit of vacancy rate", ge=0.0, le=5.0,
        source="assumption: regional labour-market allowances, higher scales and bonuses respond to open posts; no "
               "Dutch estimate for care was found",
        doc="Yearly growth of a profession's wage premium per point of vacancy rate above normal_vacancy_rate "
            "(falling back towards the care wage index below it, never under it)",
        plausible=(0.05, 0.5), plausible_source="no evidence; judgement (a vacancy rate of 20% adds 1-8% a year)")
    wage_premium_max: float = param(
        0.2, unit="fraction above the care wage index", ge=0.0, le=10.0,
        source="assumption: care wages follow collective agreements (CAO); a regional shortage adds labour-market "
               "allowances, a higher scale or step and bonuses of typically 10-30% above the CAO wage, not open-ended "
               "pay rises (hired staff's mark-up is providers.agency_premium)",
        doc="Ceiling on a profession's wage premium over the care wage index: past it a shortage shows as vacancies, "
            "hired staff and waiting, not as higher wages",
        plausible=(0.1, 0.3), plausible_source="judgement: labour-market allowances and scale/step placement in Dutch "
                                               "care CAOs")
    supply_elasticity: float = param(
        0.5, unit="elasticity", ge=0.0, le=3.0,
        source="nurses' labour supply wage elasticities of about 0.1-1 (reviews: Antonazzo et al. 2003; Shields 2004)",
        doc="Elasticity of the entrants to a profession's pool to its wage premium (regional competition for workers)",
        plausible=(0.2, 1.0), plausible_source="Antonazzo et al. 2003; Shields 2004 (nurses, mostly below 1)")
    agency_fill_share: float = param(
        0.3, unit="fraction", ge=0.0, le=1.0,
        source="assumption: providers fill part of their open posts with hired staff not on the payroll (agency, "
               "self-employed) at providers.agency_premium; no regional share was found",
        doc="Share of an employer's open posts (after hiring) filled each month with hired staff (providers and the "
            "access team)",
        plausible=(0.1, 0.5), plausible_source="no evidence; judgement")
    wage_growth: float = param(
        0.025, unit="1/year", ge=-0.1, le=0.2,
        source="assumption: care CAO wages after the last observed year grow like the price index "
               "(funding.cost_inflation), so budgets and tariffs keep pace unless a shortage premium builds up",
        doc="Yearly growth of the care wage index after its last observed year (data set care_wages.csv)",
        plausible=(0.02, 0.04), plausible_source="judgement: care CAO wage growth of 2-4% a year (CBS 2016-2024)")
    tariff_labour_share: float = param(
        0.8, unit="fraction", ge=0.0, le=1.0,
        source="assumption: staff costs are about 80% of the cost price of home help, guidance and youth care; "
               "municipalities index such tariffs with a weighted wage (OVA) and price index",
        doc="Share of the tariffs of staff-bound provisions (and of general places, protected living, respite and "
            "crisis care) that follows the care wage index and the shortage premium; the rest follows the price index",
        plausible=(0.7, 0.85), plausible_source="judgement: cost-price models of Wmo and youth-care tariffs")


class FundingSection(Section):
    scheme: Literal["population", "fee_for_service", "shared_savings"] = param(
        "population", unit="name", source="Emmen policy plan 2016, 3.2 (population); Coevorden annual report 2018 (shared savings)",
        doc="How the areas' lead contractors are paid for the Wmo contract lines")
    budget_rule: Literal["prices_volume", "prices"] = param(
        "prices_volume", unit="name",
        source="Gemeentefonds: the integration payment for the social domain (2015-2018) was indexed for wages and "
               "prices and for volume (demographic growth) and shared out by an objective allocation model (residents, "
               "age and need-related measures); the model's need-weighted residents stand in for both (assumption)",
        doc="How each budget line grows after the last year of the budget table: 'prices_volume' = the price index "
            "(the contract lines: the tariffs' labour index) times the line's need-weighted residents; 'prices' = "
            "the price index alone (a budget that ignores ageing)")
    budget_index: float = param(0.0, unit="1/year", ge=-0.1, le=0.2,
                                source="assumption: budgets keep their 2021 real value per unit of need",
                                doc="Real yearly growth of every budget line after the last year of the budget table, "
                                    "on top of the price index and the budget rule's volume (costs.py, funding.py)",
        plausible=(-0.01, 0.01), plausible_source="judgement: the national fund roughly follows prices")
    cost_inflation: float = param(0.025, unit="1/year", ge=-0.1, le=0.2,
                                  source="assumption: wage-driven care price index ~2-3%/year",
                                  doc="Yearly growth of the price index after its last observed year (data set "
                                      "price_index.csv); tariffs, prevention money and budgets follow it",
        plausible=(0.015, 0.04), plausible_source="wage-driven care price index ~2-3%/year")
    reserve_ceiling_eur: float = param(
        9_726_000.0, unit="EUR (2019 prices)", ge=0.0, le=1e9,
        source="Emmen policy plan 2016, 6.2: the reserve forecast for 31-12-2019 (berap-2 2015)",
        doc="Ceiling of the social-domain reserve; a year's surplus above it returns to the general fund, "
            "a deficit the reserve cannot cover is paid from the general fund (indexed by the price index)",
        plausible=(5_000_000.0, 20_000_000.0), plausible_source="judgement around the plan's forecast")
    risk_limit: float = param(0.05, unit="fraction of area budget", ge=0.0, le=1.0, source="assumption",
                              doc="A contractor's risk capacity (equity) when its contract starts; it keeps its results in it, "
                                  "and a deficit beyond it makes it renegotiate or fail (contractors.py)",
        plausible=(0.02, 0.1), plausible_source="judgement around the calibrated default; no direct evidence")
    reinvest_share: float = param(
        0.5, unit="fraction", ge=0.0, le=1.0, source="assumption: the incentive the policy relies on (plan 3.2)",
        doc="Share of a contractor's surplus reinvested in prevention and the informal field the next year",
        plausible=(0.25, 0.75), plausible_source="no evidence: the incentive the policy relies on (plan 2016, 3.2)")
    savings_share: float = param(0.5, unit="fraction", ge=0.0, le=1.0, source="assumption (shared savings)",
                                 doc="Share of the saving against the area budget paid to the contractor for prevention",
        plausible=(0.25, 0.75), plausible_source="no evidence; judgement")
    contract_base_year: int = param(
        2017, unit="year", ge=2015, le=2021,
        source="Emmen policy plan 2016, 6.1: the budget table's first year of the plan period 2017-2021; the area "
               "contracts began in 2016-2017",
        doc="Year of the budget table whose contract lines (huishoudelijke hulp, begeleiding), per need-weighted "
            "resident of the start, set the population-based contract sums (funding.py)")

    general_place_eur_year: float = param(1500.0, unit="EUR/place/year (2023)", ge=0.0, le=100000.0, source="assumption",
                                          doc="Cost of a general-provision place",
        plausible=(1000.0, 3000.0), plausible_source="no evidence; judgement")
    access_fte_eur_year: float = param(75000.0, unit="EUR/FTE/year (2023)", ge=0.0, le=300000.0,
                                       source="assumption (salary and overhead)", doc="Cost of an access-team FTE",
        plausible=(65000.0, 90000.0), plausible_source="judgement: salary and overhead")


class ContractorsSection(Section):
    """How the areas' lead contractors act under the funding scheme (``contractors.py``)."""

    population_hours_factor: float = param(
        1.0, unit="factor", ge=0.5, le=1.5,
        source="the tariff table's hours are calibrated to Emmen's 2017 cost, delivered under population-based "
               "funding (policy plan 2016, 3.2: financial incentives for efficiency and light support)",
        doc="Formal hours per client of the contract domains under population-based funding, relative to the "
            "tariff table",
        plausible=(0.9, 1.05), plausible_source="judgement around the calibration")
    fee_for_service_hours_factor: float = param(
        1.1, unit="factor", ge=0.5, le=1.5,
        source="assumption: paid per hour delivered (P x Q), a contractor earns more from more hours per client",
        doc="Formal hours per client of the contract domains under fee-for-service, relative to the tariff table",
        plausible=(1.0, 1.2), plausible_source="judgement: the volume incentive of payment per unit")
    shared_savings_hours_factor: float = param(
        1.05, unit="factor", ge=0.5, le=1.5,
        source="assumption: paid per unit, but sharing the saving against the budget (Coevorden annual report 2018): "
               "the volume incentive is weaker than under fee-for-service",
        doc="Formal hours per client of the contract domains under shared savings, relative to the tariff table",
        plausible=(1.0, 1.1), plausible_source="judgement: between population-based funding and fee-for-service")
    fee_for_service_exit_factor: float = param(
        0.85, unit="factor", ge=0.1, le=1.0,
        source="assumption: paid per month in care, a contractor ends care later (the volume incentive)",
        doc="Monthly rate at which the problems of clients in customised care in the contract domains end, "
            "relative to other schemes, under fee-for-service",
        plausible=(0.7, 1.0), plausible_source="judgement: the volume incentive of payment per unit")
    reassessment_months: float = param(
        12.0, unit="months", ge=1.0, le=120.0,
        source="assumption: a Wmo client's support plan is evaluated about once a year (the usual term of Wmo "
               "decisions and evaluations); at it a population-based contractor steps light and medium clients down "
               "to the informal field or a general provision where that suffices (policy plan 2016, 3.2: part of "
               "the support 'can be delivered by the informal field: an incentive to strengthen and widen it'; "
               "3.4: as many provisions as possible general)",
        doc="Mean months between re-assessments of a client of the contract domains in customised care; at each, "
            "the contractor looks for a step-down with the probability of the share of the saving it keeps "
            "(population-based 1, shared savings funding.savings_share, fee-for-service 0; contractors.py)",
        plausible=(6.0, 24.0), plausible_source="judgement: evaluations every half year to every two years")
    step_down_share: float = param(
        1.0, unit="probability", ge=0.0, le=1.0,
        source="assumption: a contractor that keeps the whole saving of a step-down (population-based funding) looks "
               "for one at every re-assessment; under shared savings times funding.savings_share, under "
               "fee-for-service never (a step-down only costs it revenue)",
        doc="Probability that a re-assessment under population-based funding looks for a step-down of a light or "
            "medium client to the informal field or a general provision (contractors.py)",
        plausible=(0.5, 1.0), plausible_source="judgement: from every other re-assessment to every one")
    intake_search_share: float = param(
        1.0, unit="probability", ge=0.0, le=1.0,
        source="Emmen policy plan 2016, 3.2: the lead contractor is responsible for delivering the support the area "
               "needs, 'itself ... but part of the support and help can also be delivered by the informal field' (an "
               "incentive to strengthen and widen it); that it looks at every indication it keeps the saving of, as at "
               "every re-assessment (step_down_share), is an assumption; under shared savings times "
               "funding.savings_share, under fee-for-service never (it earns per unit delivered)",
        doc="Probability that a population-based contractor receiving a customised indication of a light or medium "
            "problem of its contract domains looks for delivery through the informal field: the client's network, "
            "mobilised with its support (access_team.mobilisation), and volunteers; covered, the request is solved "
            "informally by it (outcome_informal_contractor; contractors.py)",
        plausible=(0.5, 1.0), plausible_source="judgement: from every other indication to every one")
    contractor_places_per_1000: float = param(
        2.0, unit="places per 1,000 residents", ge=0.0, le=200.0,
        source="Emmen policy plan 2016, 3.4: as much support as possible as general provisions, part of them run by "
               "the area providers, the lead contractor in the lead; the number is an assumption",
        doc="Of the general-provision places (provisions.general_places_per_1000), those each area's lead "
            "contractor runs under population-based funding, paid from its contract budget "
            "(funding.general_place_eur_year each); under the other schemes nobody runs them",
        plausible=(0.0, 3.0), plausible_source="judgement: up to half of the general places")
    renegotiation_share: float = param(
        0.5, unit="fraction of the deficit", ge=0.0, le=1.0,
        source="assumption: the yearly budget talks of a population-based contract follow realised demand in "
               "part (policy plan 2016, 3.2: the area budget is based on residents, age structure and present use); "
               "the year's surplus or deficit itself stays the contractor's",
        doc="Share of the gap between a year's contract cost and contract sum carried into the area's contract sum "
            "from the next year (up after a deficit, down after a saving); a contractor out of risk capacity gets "
            "the whole deficit (contractors.py)",
        plausible=(0.25, 1.0), plausible_source="judgement: from a quarter of the gap to full after-calculation")
    contract_years: int = param(
        4, unit="years", ge=1, le=50,
        source="assumption: Wmo area contracts run a few years before they are renewed or tendered again (Emmen's "
               "policy plan covers 2017-2021)",
        doc="Length of a contract term, counted from the run's start: a contractor that runs out of risk capacity "
            "a second time in the same term fails; at the end of a term the contract is renewed",
        plausible=(3, 6), plausible_source="judgement: the plan period; contracts of 3-4 years with extensions")
    transition_cost_share: float = param(
        0.1, unit="fraction of area budget", ge=0.0, le=1.0,
        source="Emmen policy plan 2016, 6.2: the bankruptcy of a provider (Heerendordt) may call on the reserve; "
               "the size is an assumption",
        doc="One-off cost to the municipality of replacing a failed contractor (tender, bridging, transfer of "
            "clients and staff), as a share of its yearly contract budget",
        plausible=(0.05, 0.2), plausible_source="judgement: a tender and half a year of double running")
    disruption_staff_loss: float = param(
        0.2, unit="fraction", ge=0.0, le=1.0,
        source="assumption: part of a failed contractor's staff does not move to its successor",
        doc="Share of a failed contractor's staff that leaves when it is replaced (its clients keep their care; "
            "admissions stall until the staff is hired again)",
        plausible=(0.1, 0.3), plausible_source="judgement")


class ContributionsSection(Section):
    flat_from: int = param(2019, unit="year", ge=2000, le=2100, source="Wmo abonnementstarief from 1 January 2019",
                           doc="First year of the flat subscription rate")
    income_from: int = param(2026, unit="year", ge=2000, le=2150,
                             source="Emmen 2025 budget, programme 9: income-dependent contribution from 2026",
                             doc="First year the contribution is income-dependent again")
    flat_rate_eur_month: float = param(19.0, unit="EUR/month", ge=0.0, le=500.0, source="abonnementstarief 2020 (EUR 19)",
                                       doc="Flat rate, and the minimum under the income-dependent regime")
    middle_income_eur_month: float = param(60.0, unit="EUR/month", ge=0.0, le=1000.0, source="assumption",
                                           doc="Income-dependent contribution, middle incomes",
        plausible=(40.0, 90.0), plausible_source="judgement around the calibrated default; no direct evidence")
    high_income_eur_month: float = param(150.0, unit="EUR/month", ge=0.0, le=2000.0, source="assumption",
                                         doc="Income-dependent contribution, high incomes",
        plausible=(100.0, 250.0), plausible_source="judgement around the calibrated default; no direct evidence")
    share_low_income: float = param(0.4, unit="fraction", ge=0.0, le=1.0, source="assumption (Emmen below NL average)",
                                    doc="Share of households with a low income",
        plausible=(0.3, 0.5), plausible_source="judgement: Emmen's incomes below the NL average")
    share_middle_income: float = param(0.4, unit="fraction", ge=0.0, le=1.0, source="assumption",
                                       doc="Share of households with a middle income (the rest high)",
        plausible=(0.3, 0.45), plausible_source="judgement (with share_low_income at most 0.5 the shares stay <= 1)")
    opt_out_middle: float = param(0.1, unit="probability", ge=0.0, le=1.0,
                                  source="assumption: some users organise help themselves (Emmen 2025 budget)",
                                  doc="Chance a middle-income resident organises help privately (income-dependent regime)",
        plausible=(0.05, 0.2), plausible_source="judgement around the calibrated default; no direct evidence")
    opt_out_high: float = param(0.3, unit="probability", ge=0.0, le=1.0, source="assumption",
                                doc="Chance a high-income resident organises help privately (income-dependent regime)",
        plausible=(0.15, 0.45), plausible_source="judgement around the calibrated default; no direct evidence")

    @model_validator(mode="after")
    def _shares(self) -> "ContributionsSection":
        if self.income_from < self.flat_from:
            raise ValueError(f"contributions.income_from = {self.income_from} is before contributions.flat_from = "
                             f"{self.flat_from}: the income-dependent regime follows the flat rate")
        if self.share_low_income + self.share_middle_income > 1.0:
            raise ValueError(f"contributions.share_low_income + share_middle_income = "
                             f"{self.share_low_income + self.share_middle_income}: must be at most 1")
        return self


class PreventionSection(Section):
    budget_eur_per_resident: float = param(
        0.0, unit="EUR per resident per year (2023 prices)", ge=0.0, le=1000.0,
        source="lever (prevention money such as SPUK/GALA/IZA, Emmen 2025 budget, programme 9)",
        doc="Municipal prevention budget per area, on top of what contractors reinvest")
    target: Literal["all", "youth", "adults", "elderly"] = param(
        "all", unit="name", source="lever", doc="Age group the prevention effort is aimed at (0-17, 18-64, 65+)")
    delay_years: float = param(3.0, unit="years", ge=0.0, le=20.0,
                               source="assumption: prevention pays years after it costs (plan 2016)",
                               doc="Time constant with which effective prevention follows spending",
        plausible=(1.0, 5.0), plausible_source="no evidence: prevention pays years after it costs (plan 2016)")
    eur_scale: float = param(50.0, unit="EUR per target resident per year", ge=0.1, le=5000.0,
                             source="assumption",
                             doc="Spending per target resident at which 63% of the largest effects is reached",
        plausible=(20.0, 200.0), plausible_source="no evidence; judgement")
    max_onset_reduction: float = param(
        0.15, unit="fraction", ge=0.0, le=0.9,
        source="weak evidence: Gesundes Kinzigtal ~7% below expected cost (OptiMedis 2015)",
        doc="Largest relative reduction of the onset of problems in the target group",
        plausible=(0.0, 0.3), plausible_source="weak evidence: Gesundes Kinzigtal ~7% below expected cost (OptiMedis 2015)")
    max_escalation_reduction: float = param(
        0.3, unit="fraction", ge=0.0, le=0.9, source="assumption",
        doc="Largest relative reduction of escalation while waiting",
        plausible=(0.0, 0.5), plausible_source="no evidence; judgement")
    max_field_effect: float = param(
        0.3, unit="fraction", ge=0.0, le=2.0,
        source="weak evidence (Cochrane CD004396: no significant effect of respite; Mittelman 2006: support delays placement)",
        doc="Largest relative strengthening of neighbours' help, the volunteer pool and respite uptake",
        plausible=(0.0, 0.6), plausible_source="weak evidence: Cochrane CD004396 (no significant effect of respite); Mittelman 2006")


class SignallingSection(Section):
    home_help_workers: float = param(
        0.0, unit="strength 0-1", ge=0.0, le=1.0, source="lever; home-help workers behind the front door (seed: Emmen 2025 budget)",
        doc="Early signalling by home-help workers in households with household help")
    gp_practice_nurses: float = param(
        0.0, unit="strength 0-1", ge=0.0, le=1.0, source="lever; practice nurses for youth at GPs (Coevorden annual report 2018; Emmen plan 2016, 4.1)",
        doc="Early signalling of youth problems by GP practice nurses (and fewer direct referrals)")
    school_social_work: float = param(
        0.0, unit="strength 0-1", ge=0.0, le=1.0, source="lever; school social work (Zevenaar budget 2025, programme 6)",
        doc="Early signalling among 12-17 year olds by school social work")
    catch_share: float = param(
        0.2, unit="fraction", ge=0.0, le=1.0,
        source="assumption: no Dutch effect size of early signalling on severity found; a fifth of what a channel "
               "sees is caught early enough to stay light",
        doc="Share of new problems a channel at full strength catches while light",
        plausible=(0.05, 0.4), plausible_source="no evidence; judgement")
    practice_nurse_referral_reduction: float = param(
        0.25, unit="fraction", ge=0.0, le=1.0,
        source="pilot with practice nurses for youth at twelve GPs, Pijnacker-Nootdorp (end evaluation 2019): a quarter "
               "fewer referrals to specialised youth care; Coevorden reports fewer referrals too",
        doc="Relative reduction of direct GP referrals to specialist youth care at full practice-nurse strength",
        plausible=(0.1, 0.4), plausible_source="one pilot (a quarter fewer referrals); judgement either way")
    home_help_eur_per_client_year: float = param(
        300.0, unit="EUR per household-help client per year (2023)", ge=0.0, le=10000.0,
        source="assumption: training and about 10 minutes a week of a home-help worker's time for signalling and "
               "passing on (at about EUR 35 an hour)",
        doc="Cost of signalling by home-help workers at full strength, per client of household help (cost line signalling)",
        plausible=(150.0, 600.0), plausible_source="judgement: 5-20 minutes a week")
    practice_nurse_eur_per_youth_year: float = param(
        16.0, unit="EUR per resident aged 0-17 per year (2023)", ge=0.0, le=1000.0,
        source="assumption: one practice-nurse FTE for youth (EUR 80,000 a year) per 5,000 residents aged 0-17",
        doc="Cost of GP practice nurses for youth at full strength, per young resident (cost line signalling)",
        plausible=(8.0, 32.0), plausible_source="judgement: one FTE per 2,500-10,000 young residents")
    school_social_work_eur_per_pupil_year: float = param(
        75.0, unit="EUR per resident aged 12-17 per year (2023)", ge=0.0, le=1000.0,
        source="assumption: one school social worker (EUR 75,000 a year) per 1,000 secondary-school pupils",
        doc="Cost of school social work at full strength, per resident aged 12-17 (cost line signalling)",
        plausible=(40.0, 150.0), plausible_source="judgement: one FTE per 500-2,000 pupils")


class AreaOverrides(Section):
    """Per-area values of some parameters; unset ones take the section's value."""

    cohesion: float | None = param(None, unit="fraction", ge=0.0, le=1.0, source="see network.cohesion",
                                   doc="Social cohesion of this area (replaces network.cohesion times the area's index)")
    budget_eur_per_resident: float | None = param(
        None, unit="EUR per resident per year", ge=0.0, le=1000.0, source="see prevention.budget_eur_per_resident",
        doc="Municipal prevention budget in this area (targeting prevention money at areas)")


class LongTermCareSection(Section):
    """Exit from the Wmo to long-term care under the Wlz (Wet langdurige zorg): heavy, lasting
    needs of older residents get a Wlz indication (CIZ) and leave the municipality's care."""
    min_age: int = param(65, unit="years", ge=0, le=120,
                         source="assumption: the Wlz entrants from the Wmo are mostly elderly (V&V); CPB 2022 Wlz spending per inhabitant rises steeply from 65",
                         doc="Youngest age at which a heavy, lasting Wmo problem can lead to a Wlz indication (judgement: 55-75)")
    min_months: int = param(6, unit="months", ge=0, le=120,
                            source="assumption: the Wlz is for a permanent need of 24-hour care or supervision; 'lasting' read as a heavy problem of half a year or more",
                            doc="Minimum duration of the heavy Wmo problem before a Wlz indication (no published threshold; judgement: 6-24)")
    rate_65_74: float = param(0.15, unit="1/year", ge=0.0, le=1.0,
                              source="assumption, level checked against CBS 85985NED/85594NED (3.8-5.1% of adult Wmo clients of Drenthe municipalities enter the Wlz each year)",
                              doc="Yearly probability of a Wlz indication of an eligible person aged min_age-74 (heavy Wmo problem lasting min_months)",
                              plausible=(0.08, 0.3), plausible_source="a factor 2 either way: no age-specific indication rate found")
    rate_75_84: float = param(0.3, unit="1/year", ge=0.0, le=1.0,
                              source="assumption: age gradient after the CPB 2022 Wlz spending per inhabitant (75: EUR 2,049; 85: EUR 9,832), flattened because all eligible already have heavy needs",
                              doc="Yearly probability of a Wlz indication of an eligible person aged 75-84",
                              plausible=(0.15, 0.6), plausible_source="a factor 2 either way: no age-specific indication rate found")
    rate_85_plus: float = param(0.6, unit="1/year", ge=0.0, le=1.0,
                                source="assumption: as rate_75_84",
                                doc="Yearly probability of a Wlz indication of an eligible person aged 85 or older",
                                plausible=(0.3, 0.9), plausible_source="a factor 2 down; at most 0.9: no age-specific indication rate found")
    hazard_multiplier: float = param(1.0, unit="factor", ge=0.0, le=10.0,
                                     source="lever: 0 turns the Wlz exit off (everyone stays in the Wmo, as before)",
                                     doc="Multiplies the Wlz indication rates (applied to the monthly hazard)")
    home_rate_65_74: float = param(
        0.002, unit="1/year", ge=0.0, le=1.0,
        source="CPB 2022 Wlz spending per inhabitant by single age (Middellangetermijnraming zorg 2027-2033) as the age profile of Wlz use, its level set to CBS 82905NED's 35 residents of care and nursing homes per 1,000 aged 65+ (1 January 2020); entries by age that keep that profile under the life table (HMD NL 2019) and excess_death_rate, less what the Wmo route gives (docs/odd/long_term_care.md)",
        doc="Yearly probability that a resident aged min_age-74 outside the Wlz enters it from home (GP, district "
            "nursing, hospital), not through a heavy, lasting Wmo problem",
        plausible=(0.001, 0.008), plausible_source="a factor 2 either way: the CPB profile includes the disabled "
                                                   "and Wlz care at home; the CBS level only care and nursing homes")
    home_rate_75_84: float = param(
        0.007, unit="1/year", ge=0.0, le=1.0, source="as home_rate_65_74",
        doc="Yearly probability that a resident aged 75-84 outside the Wlz enters it from home",
        plausible=(0.007, 0.03), plausible_source="as home_rate_65_74")
    home_rate_85_plus: float = param(
        0.045, unit="1/year", ge=0.0, le=1.0, source="as home_rate_65_74",
        doc="Yearly probability that a resident aged 85 or older outside the Wlz enters it from home",
        plausible=(0.03, 0.12), plausible_source="as home_rate_65_74")
    home_hazard_multiplier: float = param(1.0, unit="factor", ge=0.0, le=10.0,
                                          source="lever: 0 turns the entry from home off (only the Wmo route, as before)",
                                          doc="Multiplies the rates of entry to the Wlz from home (applied to the monthly hazard)")
    excess_death_rate: float = param(
        0.25, unit="1/year", ge=0.0, le=1.0,
        source="CBS/RIVM weekly deaths (news 2020-18, 2020-22): 752 deaths a week in care and nursing homes in "
               "weeks 1-10 of 2020 among about 120,000 residents (CBS 82905NED) = 33% a year, at a mean age of about "
               "85 where the life table gives 9-11%; Vossius et al. 2018 (PLoS One): 32% a year, median stay 2.2 years",
        doc="Yearly probability that a resident in the Wlz dies of what brought them there, on top of (independent "
            "of) the life table's death probability of their sex and age",
        plausible=(0.12, 0.35), plausible_source="judgement: Wlz care at home (lower) to nursing homes (CBS 33% a "
                                                "year in all)")
    outside_death_floor: float = param(
        0.25, unit="factor", ge=0.0, le=1.0,
        source="assumption: a guard against small samples, not a rate. The life table (HMD NL) counts the deaths "
               "of care-home residents too, so those outside the Wlz die at the table's rate times the factor that "
               "keeps each sex and 5-year age band's deaths at the table's (docs/odd/long_term_care.md); that "
               "factor averages 0.4-0.9 by band (10% sample, 2016-2019); only where a band holds a handful of "
               "residents can its Wlz residents alone exceed its expected deaths",
        doc="Lowest factor on the life table's death probability of residents outside the Wlz (1: the full life "
            "table for them too, so that deaths exceed the table by the Wlz's excess, the rule before)",
        plausible=(0.0, 0.5), plausible_source="judgement: above 0.5 it binds in the model's large bands "
                                               "(women 75-79 average 0.5)")


AREA_DEFAULTS = {"cohesion": "network", "budget_eur_per_resident": "prevention"}  # section of the default


FIXED_DURING_RUN = {"providers.subcontractors_per_area", "network.neighbour_slots"}  # model structure

SECTIONS: dict[str, type[Section]] = {
    "run": RunSection, "demography": DemographySection, "network": NetworkSection, "needs": NeedsSection,
    "informal_care": InformalCareSection, "substitution": SubstitutionSection, "access_team": AccessTeamSection, "provisions": ProvisionsSection,
    "providers": ProvidersSection, "labour_market": LabourMarketSection, "funding": FundingSection,
    "contractors": ContractorsSection,
    "contributions": ContributionsSection, "prevention": PreventionSection, "signalling": SignallingSection,
    "long_term_care": LongTermCareSection, "other_payers": OtherPayersSection,
}


class Policy(BaseModel):
    """From ``year`` (1 January) on, the parameters in ``set`` take the given values."""

    model_config = ConfigDict(extra="forbid", strict=True)
    year: int
    set: dict[str, Any]
    note: str = ""


class ScenarioMeta(Section):
    name: str = "unnamed"
    description: str = ""
    base: str = ""  # a scenario (name or path) whose values this file's own ones override; "" = the defaults


class Scenario(BaseModel):
    """A validated scenario. ``Scenario.load(path)`` or ``Scenario.from_dict(dict)``."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, strict=True)
    scenario: ScenarioMeta = Field(default_factory=ScenarioMeta)
    run: RunSection = Field(default_factory=RunSection)
    demography: DemographySection = Field(default_factory=DemographySection)
    network: NetworkSection = Field(default_factory=NetworkSection)
    needs: NeedsSection = Field(default_factory=NeedsSection)
    informal_care: InformalCareSection = Field(default_factory=InformalCareSection)
    substitution: SubstitutionSection = Field(default_factory=SubstitutionSection)
    access_team: AccessTeamSection = Field(default_factory=AccessTeamSection)
    provisions: ProvisionsSection = Field(default_factory=ProvisionsSection)
    providers: ProvidersSection = Field(default_factory=ProvidersSection)
    labour_market: LabourMarketSection = Field(default_factory=LabourMarketSection)
    funding: FundingSection = Field(default_factory=FundingSection)
    contractors: ContractorsSection = Field(default_factory=ContractorsSection)
    contributions: ContributionsSection = Field(default_factory=ContributionsSection)
    prevention: PreventionSection = Field(default_factory=PreventionSection)
    signalling: SignallingSection = Field(default_factory=SignallingSection)
    long_term_care: LongTermCareSection = Field(default_factory=LongTermCareSection)
    other_payers: OtherPayersSection = Field(default_factory=OtherPayersSection)
    areas: dict[str, AreaOverrides] = Field(default_factory=dict)
    policy: list[Policy] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> "Scenario":
        if self.run.end_year < self.run.start_year:
            raise ValueError(f"run.end_year = {self.run.end_year} is before run.start_year = {self.run.start_year}")
        set_in: dict[tuple[int, str], int] = {}  # (year, parameter) -> the entry setting it
        for i, p in enumerate(self.policy):
            if p.year < self.run.start_year:  # a policy after the end simply does not happen in this run
                raise ValueError(f"policy[{i}].year = {p.year} is before the run starts ({self.run.start_year}); "
                                 "set the start values in the scenario's sections instead")
            for key, value in p.set.items():
                if (p.year, key) in set_in:
                    raise ValueError(f"policy[{set_in[p.year, key]}] and policy[{i}] both set {key} in {p.year}: "
                                     "one value per parameter and year (merge the entries)")
                set_in[p.year, key] = i
                try:
                    _check_policy_value(key, value)
                except ValueError as e:
                    raise ValueError(f"policy[{i}] (year {p.year}): {e}") from None
        # each state the timeline leads to must be valid as a whole (e.g. shares adding up)
        state = {s: getattr(self, s).model_dump() for s in SECTIONS}
        for i, p in sorted(enumerate(self.policy), key=lambda ip: ip[1].year):
            changed = set()
            for key, value in p.set.items():
                if not key.startswith("areas."):
                    section, name = key.split(".", 1)
                    state[section][name] = value
                    changed.add(section)
            for section in changed:
                try:
                    SECTIONS[section].model_validate(state[section])
                except ValidationError as e:
                    raise ValueError(f"policy[{i}] (year {p.year}) leads to an invalid [{section}]: "
                                     + _describe(e, state[section], prefix=section).removeprefix("invalid scenario: ")) from None
        return self

    # --- construction ----------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: dict) -> "Scenario":
        try:
            return cls.model_validate(data)
        except ValidationError as e:
            raise ScenarioError(_describe(e, data)) from None

    @classmethod
    def load(cls, path: str | Path | None = None, overrides: list[str] | dict | None = None) -> "Scenario":
        """Read a scenario file and apply overrides: a path, or a name in ``experiments/scenarios``
        of the current folder (your own files) or among the named scenarios of the package."""
        data = {} if path is None else _read(path, ())
        for key, value in _parse_overrides(overrides):
            _set_nested(data, key, value)
        return cls.from_dict(data)

    # --- access ----------------------------------------------------------------------
    def policies_after_end(self) -> list[str]:
        """One line per policy entry dated after ``run.end_year``: valid, but not applied in
        this run (the same scenario may be run over a longer horizon)."""
        return [f"policy[{i}] (year {p.year}) is after run.end_year = {self.run.end_year}: not applied in this run"
                for i, p in enumerate(self.policy) if p.year > self.run.end_year]

    def flat(self) -> dict[str, Any]:
        """All section parameters as ``{"section.name": value}``."""
        return {f"{s}.{k}": v for s in SECTIONS for k, v in getattr(self, s).model_dump().items()}

    def with_values(self, values: dict[str, Any]) -> "Scenario":
        data = self.model_dump()
        for key, value in values.items():
            _set_nested(data, key, value)
        return Scenario.from_dict(data)

    def area_value(self, area: str, name: str) -> Any:
        override = self.areas.get(area)
        value = getattr(override, name) if override is not None else None
        return getattr(getattr(self, AREA_DEFAULTS[name]), name) if value is None else value

    def check_against(self, dataset) -> None:
        """Checks that need the data set: area names, projection variant, start year."""
        in_policy = {k.split(".", 1)[1].rsplit(".", 1)[0] for p in self.policy for k in p.set if k.startswith("areas.")}
        unknown = sorted((set(self.areas) | in_policy) - set(dataset.area_names))
        if unknown:
            raise ScenarioError(f"areas.{unknown[0]!r}: unknown area for data set {dataset.name}; "
                                f"allowed: {', '.join(dataset.area_names)}")
        variant = self.demography.projection_variant
        if variant != "none" and variant not in dataset.projection_variants:
            raise ScenarioError(f"demography.projection_variant = {variant!r}: not in data set {dataset.name}; "
                                f"allowed: {', '.join(dataset.projection_variants + ['none'])}")
        if self.run.start_year > dataset.age_sex_year:
            raise ScenarioError(f"run.start_year = {self.run.start_year}: data set {dataset.name} has its age "
                                f"structure for {dataset.age_sex_year}; allowed: 2000-{dataset.age_sex_year}")


def plausible_ranges(group: str | None = None) -> dict[str, tuple[float, float]]:
    """``{"section.name": (lo, hi)}`` for every parameter with a plausible range, in field
    order; ``group`` restricts it to one section (e.g. ``"informal_care"``)."""
    if group is not None and group not in SECTIONS:
        raise ScenarioError(f"group = {group!r}: not a parameter section; allowed: {', '.join(SECTIONS)}")
    return {f"{section}.{name}": tuple(info.json_schema_extra["plausible"])
            for section, cls in SECTIONS.items() if group in (None, section)
            for name, info in cls.model_fields.items() if "plausible" in (info.json_schema_extra or {})}


def _read(path: str | Path, chain: tuple[Path, ...]) -> dict:
    """A scenario file's values on top of those of its ``[scenario] base`` (and of that one's
    base, ...): the sections merged key by key, the policy entries of the base first."""
    p = resolve_path(path)
    if p.resolve() in chain:
        raise ScenarioError(f"{p}: scenario.base leads back to this file ({' -> '.join(c.stem for c in chain)}); "
                            "allowed: a chain of bases without a cycle")
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise ScenarioError(f"{p}: malformed TOML: {e}") from None
    except UnicodeDecodeError as e:
        raise ScenarioError(f"{p}: not UTF-8 text (byte {e.start}); save the scenario file as UTF-8") from None
    except OSError as e:
        raise ScenarioError(f"{p}: cannot read: {e.strerror}") from None
    meta = data.setdefault("scenario", {})
    if not isinstance(meta, dict):
        raise ScenarioError(f"{p}: scenario = {meta!r}: must be a table ([scenario])")
    meta.setdefault("name", p.stem)
    base = meta.get("base", "")
    if not base or not isinstance(base, str):  # a wrong type is reported by validation, naming the field
        return data
    merged = _read(base, (*chain, p.resolve()))
    merged["scenario"] = meta  # the name and description are this file's own
    for key, value in data.items():
        if key == "policy":
            merged["policy"] = [*merged.get("policy", []), *value]
        elif key == "areas" and isinstance(value, dict) and isinstance(merged.get("areas", {}), dict):
            merged["areas"] = {**merged.get("areas", {}), **{
                area: {**merged.get("areas", {}).get(area, {}), **fields} if isinstance(fields, dict) else fields
                for area, fields in value.items()}}
        elif key != "scenario" and isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        elif key != "scenario":
            merged[key] = value
    return merged


def resolve_path(path: str | Path) -> Path:
    p = Path(path)
    for candidate in (p, *(folder / name for folder in (USER_SCENARIO_DIR, SCENARIO_DIR) for name in (p, f"{p}.toml"))):
        if candidate.is_file():
            return candidate
    names = ", ".join(sorted({f.stem for folder in (USER_SCENARIO_DIR, SCENARIO_DIR) for f in folder.glob("*.toml")}))
    raise ScenarioError(f"scenario file not found: {str(path)!r} (a path, or one of: {names})")


def _check_policy_value(key: str, value: Any) -> None:
    """A parameter a policy entry sets: one that may change during a run, with a valid value."""
    if key.startswith("areas."):
        field = key.rsplit(".", 1)[-1]
        if field not in AreaOverrides.model_fields or key.count(".") < 2:
            raise ValueError(f"set: {key!r}: use areas.<area>.<field> with field one of "
                             f"{', '.join(AreaOverrides.model_fields)}")
        try:
            AreaOverrides.model_validate({field: value})
        except ValidationError as e:
            raise ValueError(_describe(e, {field: value}, prefix=key.rsplit(".", 1)[0])
                             .removeprefix("invalid scenario: ")) from None
        return
    section, name = _split_key(key)
    if section == "run" or key in FIXED_DURING_RUN:
        raise ValueError(f"set: {key!r} cannot change during a run")
    _validated_value(section, name, value)


def closest(name: str, allowed) -> str:
    """' (did you mean X?)' for the allowed name nearest to a misspelt one, else ''."""
    match = difflib.get_close_matches(name, list(allowed), n=1)
    return f" (did you mean {match[0]}?)" if match else ""


def _split_key(key: str) -> tuple[str, str]:
    section, _, name = key.partition(".")
    if section not in SECTIONS or not name:
        dotted = [f"{s}.{n}" for s, cls in SECTIONS.items() for n in cls.model_fields]
        raise ValueError(f"unknown parameter {key!r}{closest(key, dotted)}; use section.name with section one of "
                         f"{', '.join(SECTIONS)}")
    fields = SECTIONS[section].model_fields
    if name not in fields:
        raise ValueError(f"unknown parameter {key!r}{closest(name, fields)}; allowed in [{section}]: {', '.join(fields)}")
    return section, name


STRICT = ConfigDict(strict=True)


def _validated_value(section: str, name: str, value: Any) -> Any:
    """The field alone (type, range); combinations are checked on the whole section."""
    info = SECTIONS[section].model_fields[name]
    try:
        # strict through the config: a Strict() marker cannot be applied to a Literal (funding.scheme)
        return TypeAdapter(Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation, config=STRICT).validate_python(_plain({"v": value})["v"])
    except ValidationError as e:
        unit = (info.json_schema_extra or {}).get("unit", "-")
        raise ValueError(f"{section}.{name} = {value!r}: {e.errors()[0]['msg']} "
                         f"(allowed: {allowed_values(info)}; unit: {unit})") from None


def _parse_overrides(overrides: list[str] | dict | None) -> list[tuple[str, Any]]:
    if not overrides:
        return []
    if isinstance(overrides, dict):
        return list(overrides.items())
    out = []
    for item in overrides:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise ScenarioError(f"--set {item!r}: expected key=value, e.g. demography.fertility_multiplier=1.1")
        try:
            value = tomllib.loads(f"v = {raw}")["v"]
        except tomllib.TOMLDecodeError:
            value = raw  # a bare word is a string
        out.append((key.strip(), value))
    return out


def _set_nested(data: dict, key: str, value: Any) -> None:
    """'areas.De Velden.cohesion' -> data['areas']['De Velden']['cohesion']."""
    parts = key.split(".")
    if parts[0] == "areas" and len(parts) >= 3:
        parts = ["areas", ".".join(parts[1:-1]), parts[-1]]
    node = data
    for part in parts[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise ScenarioError(f"--set {key}: {part!r} is not a table")
    node[parts[-1]] = value


def allowed_values(info) -> str:
    """'0.0..3.0' for a bounded number, the type otherwise (e.g. a Literal's values)."""
    bounds = {attr: getattr(m, attr) for m in info.metadata for attr in ("ge", "le") if hasattr(m, attr)}
    if bounds:
        return f"{bounds.get('ge', '')}..{bounds.get('le', '')}"
    return getattr(info.annotation, "__name__", None) if isinstance(info.annotation, type) \
        else str(info.annotation).replace("typing.", "")


def _field_info(loc: tuple) -> Any:
    """Pydantic FieldInfo for an error location, when it is a documented parameter."""
    names = [str(x) for x in loc]
    if len(names) >= 2 and names[0] in SECTIONS:
        return SECTIONS[names[0]].model_fields.get(names[1])
    if len(names) >= 3 and names[0] == "areas":
        return AreaOverrides.model_fields.get(names[2])
    return None


def _describe(error: ValidationError, data: dict, prefix: str | None = None) -> str:
    """One line per problem: field, value, and what is allowed."""
    lines = []
    for err in error.errors():
        loc = tuple(err["loc"])
        if prefix:
            loc = (prefix, *loc)
        where = "".join(f"[{x}]" if isinstance(x, int) else f".{x}" for x in loc).lstrip(".") or "scenario"
        value = err.get("input")
        if err["type"] == "extra_forbidden":
            parent = loc[:-1]
            allowed = _allowed_keys(parent)
            lines.append(f"{where}: unknown parameter (value {value!r}){closest(str(loc[-1]), allowed.split(', '))}; "
                         f"allowed here: {allowed}")
            continue
        if err["type"] == "value_error":
            lines.append(str(err["ctx"]["error"]) if "ctx" in err else err["msg"])
            continue
        info = _field_info(loc)
        allowed = ""
        if info is not None:
            extra = info.json_schema_extra or {}
            allowed = f" (allowed: {allowed_values(info)}; unit: {extra.get('unit', '-')})"
        lines.append(f"{where} = {value!r}: {err['msg']}{allowed}")
    return "invalid scenario: " + "; ".join(lines)


def _allowed_keys(parent: tuple) -> str:
    if not parent:
        return ", ".join(Scenario.model_fields)
    if parent[0] in SECTIONS and len(parent) == 1:
        return ", ".join(SECTIONS[parent[0]].model_fields)
    if parent[0] == "areas":
        return ", ".join(AreaOverrides.model_fields)
    if parent[0] == "scenario":
        return ", ".join(ScenarioMeta.model_fields)
    if parent[0] == "policy":
        return ", ".join(Policy.model_fields)
    return "see docs/ODD.md"
