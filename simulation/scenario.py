"""Scenarios: every parameter typed, with unit, default, allowed range and source.

A scenario is a TOML file (``experiments/scenarios/*.toml``) with one table per section
(``[run]``, ``[demography]``, ``[network]``), optional per-area overrides
(``[areas."De Velden"]``) and a dated policy timeline (``[[policy]]`` entries that set
parameters from a given year on). ``--set section.key=value`` overrides a value on the
command line. Anything wrong raises :class:`ScenarioError` with one message that names the
field, the value and what is allowed.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "experiments" / "scenarios"


class ScenarioError(ValueError):
    """A scenario file or override is wrong; the message is meant for the user."""


def param(default: Any, *, unit: str, source: str, doc: str, ge: float | None = None,
          le: float | None = None) -> Any:
    """A documented parameter: the unit and source travel with the field."""
    return Field(default, ge=ge, le=le, description=doc,
                 json_schema_extra={"unit": unit, "source": source})


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class RunSection(Section):
    dataset: str = param("emmen", unit="name", source="simulation/data/",
                         doc="Data set (municipality) to simulate: a folder name under simulation/data or a path")
    start_year: int = param(2016, unit="year", ge=2000, le=2100, source="Emmen, Samen verder in het sociaal domein 2017-2021 (2016): policy period from 2016",
                            doc="First simulated year (1 January); must not be after the data set's age-structure year")
    end_year: int = param(2050, unit="year", ge=2000, le=2150, source="design choice: decades past the 2035-2040 ageing peak",
                          doc="Last simulated year (inclusive, through 31 December)")
    scale: float = param(1.0, unit="fraction of residents", ge=0.001, le=20.0, source="design choice",
                         doc="Population scale: 1 = every resident (1:1); 0.1 = proportional 10% sample")


class DemographySection(Section):
    mortality_multiplier: float = param(
        1.0, unit="factor", ge=0.2, le=5.0, source="HMD NL life tables 2016-2019 (data set mortality.csv)",
        doc="Multiplies every age-sex death probability")
    mortality_improvement: float = param(
        0.01, unit="1/year", ge=0.0, le=0.05,
        source="assumption: NL period life expectancy rose ~0.15 years per year 2000-2019 (HMD), about 1%/year lower death rates",
        doc="Yearly relative decline of death probabilities after the last life-table year")
    fertility_multiplier: float = param(
        1.0, unit="factor", ge=0.0, le=3.0, source="UN WPP 2024 NL age-specific fertility 2016-2023 (data set fertility.csv)",
        doc="Multiplies every age-specific fertility rate; years after the table use its last year")
    single_fertility_ratio: float = param(
        0.2, unit="ratio", ge=0.0, le=1.0, source="assumption (most births are to women living with a partner)",
        doc="Birth rate of women without a co-resident partner relative to women with one (age totals keep the ASFR)")
    projection_variant: Literal["main", "provincial", "none"] = param(
        "main", unit="name", source="data set projection.csv",
        doc="Population projection that in-migration aligns to; 'none' = closed population (no migration in or out)")
    out_migration_multiplier: float = param(
        1.0, unit="factor", ge=0.0, le=5.0, source="data set migration_age_profile.csv (assumption calibrated to gross flows)",
        doc="Multiplies the age-specific out-migration rates of households")
    leave_home_median_age: float = param(
        23.5, unit="years", ge=18.0, le=35.0, source="assumption: CBS reports a median home-leaving age of about 23-24",
        doc="Age by which half of the young adults living with a parent have left home")
    leave_home_outmigration_share: float = param(
        0.35, unit="fraction", ge=0.0, le=1.0,
        source="assumption calibrated to Drenthe cohort loss of ~23% between ages 17 and 22 (Trendbureau Drenthe 2020)",
        doc="Share of home-leavers who leave the municipality (study, work) rather than start a household in it")
    union_rate_multiplier: float = param(
        1.0, unit="factor", ge=0.0, le=5.0,
        source="data set partnership.csv (age profile calibrated to keep its couple shares)",
        doc="Multiplies the age-specific yearly probability that a single adult not living with a parent forms a couple")
    single_parent_union_factor: float = param(
        0.35, unit="factor", ge=0.0, le=2.0,
        source="assumption: single parents repartner more slowly; keeps the single-parent share near Drenthe's 6.6%",
        doc="Union probability of a single adult living with their minor child, relative to other singles")
    separation_rate: float = param(
        0.012, unit="1/year", ge=0.0, le=0.2,
        source="CBS 37425ned: 9.9 divorces per 1,000 married couples (2016); cohabiting couples separate more often",
        doc="Yearly probability that a couple separates (the man leaves to a new household in the same area)")


class NetworkSection(Section):
    cohesion: float = param(
        0.5, unit="fraction", ge=0.0, le=1.0, source="assumption (no Emmen cohesion index found); plausible range 0.3-0.7",
        doc="Social cohesion of every area unless overridden per area: the chance that each neighbour slot holds a tie")
    neighbour_slots: int = param(
        6, unit="households", ge=0, le=30, source="assumption",
        doc="Maximum number of neighbour ties a household names within its area")
    kin_local_share: float = param(
        0.55, unit="fraction", ge=0.0, le=1.0,
        source="assumption: most Drenthe young adults stay in or return to the province (Trendbureau Drenthe 2020)",
        doc="Chance that an adult's parents live in the municipality (the rest live outside it)")
    children_per_parent: float = param(
        1.8, unit="children", ge=0.0, le=5.0, source="UN WPP 2024 NL completed fertility ~1.7-1.8",
        doc="Mean number of children of persons aged 40+, used to draw children living outside the municipality")


class AreaOverrides(Section):
    cohesion: float | None = param(None, unit="fraction", ge=0.0, le=1.0, source="see network.cohesion",
                                   doc="Social cohesion of this area")


SECTIONS: dict[str, type[Section]] = {"run": RunSection, "demography": DemographySection, "network": NetworkSection}


class Policy(BaseModel):
    """From ``year`` (1 January) on, the parameters in ``set`` take the given values."""

    model_config = ConfigDict(extra="forbid")
    year: int
    set: dict[str, Any]
    note: str = ""


class ScenarioMeta(Section):
    name: str = "unnamed"
    description: str = ""


class Scenario(BaseModel):
    """A validated scenario. ``Scenario.load(path)`` or ``Scenario.from_dict(dict)``."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)
    scenario: ScenarioMeta = Field(default_factory=ScenarioMeta)
    run: RunSection = Field(default_factory=RunSection)
    demography: DemographySection = Field(default_factory=DemographySection)
    network: NetworkSection = Field(default_factory=NetworkSection)
    areas: dict[str, AreaOverrides] = Field(default_factory=dict)
    policy: list[Policy] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> "Scenario":
        if self.run.end_year < self.run.start_year:
            raise ValueError(f"run.end_year = {self.run.end_year} is before run.start_year = {self.run.start_year}")
        for i, p in enumerate(self.policy):
            if not self.run.start_year <= p.year <= self.run.end_year:
                raise ValueError(f"policy[{i}].year = {p.year} is outside the run {self.run.start_year}-{self.run.end_year}")
            for key, value in p.set.items():
                section, name = _split_key(key)
                if section in ("run", "areas"):
                    raise ValueError(f"policy[{i}].set: {key!r} cannot change during a run")
                _validated_value(section, name, value)
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
        """Read a scenario file (a path or a name in experiments/scenarios) and apply overrides."""
        data: dict = {}
        if path is not None:
            p = resolve_path(path)
            try:
                data = tomllib.loads(p.read_text())
            except tomllib.TOMLDecodeError as e:
                raise ScenarioError(f"{p}: malformed TOML: {e}") from None
            data.setdefault("scenario", {}).setdefault("name", p.stem)
        for key, value in _parse_overrides(overrides):
            _set_nested(data, key, value)
        return cls.from_dict(data)

    # --- access ----------------------------------------------------------------------
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
        return getattr(self.network, name) if value is None else value

    def check_against(self, dataset) -> None:
        """Checks that need the data set: area names, projection variant, start year."""
        unknown = sorted(set(self.areas) - set(dataset.area_names))
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


def resolve_path(path: str | Path) -> Path:
    p = Path(path)
    for candidate in (p, SCENARIO_DIR / p, SCENARIO_DIR / f"{p}.toml"):
        if candidate.is_file():
            return candidate
    names = ", ".join(sorted(f.stem for f in SCENARIO_DIR.glob("*.toml")))
    raise ScenarioError(f"scenario file not found: {str(path)!r} (a path, or one of: {names})")


def _split_key(key: str) -> tuple[str, str]:
    section, _, name = key.partition(".")
    if section not in SECTIONS or not name:
        raise ValueError(f"unknown parameter {key!r}; use section.name with section one of {', '.join(SECTIONS)}")
    fields = SECTIONS[section].model_fields
    if name not in fields:
        raise ValueError(f"unknown parameter {key!r}; allowed in [{section}]: {', '.join(fields)}")
    return section, name


def _validated_value(section: str, name: str, value: Any) -> Any:
    try:
        return SECTIONS[section].model_validate({name: value}).__getattribute__(name)
    except ValidationError as e:
        raise ValueError(_describe(e, {name: value}, prefix=section)) from None


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


def _lookup(data: Any, loc: tuple) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _describe(error: ValidationError, data: dict, prefix: str | None = None) -> str:
    """One line per problem: field, value, and what is allowed."""
    lines = []
    for err in error.errors():
        loc = tuple(err["loc"])
        if prefix:
            loc = (prefix, *loc)
        where = ".".join(str(x) for x in loc) or "scenario"
        value = err.get("input")
        if err["type"] == "extra_forbidden":
            parent = loc[:-1]
            allowed = _allowed_keys(parent)
            lines.append(f"{where}: unknown parameter (value {value!r}); allowed here: {allowed}")
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
