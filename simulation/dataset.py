"""A data set describes one municipality: its areas, age-sex structure and demographic rates.

Data sets live in ``simulation/data/<name>/`` (``dataset.toml`` plus CSV files whose ``#``
header lines give their sources). Nothing in the model assumes a particular municipality or
number of areas; Emmen is the default data set.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from .domain import DOMAINS

DATA_DIR = Path(__file__).parent / "data"
MAX_AGE = 110  # oldest single year of age in the life tables (open interval 110+)
# columns of the areas file: (name, default if absent (None: required), lowest, highest); a
# default is the same for every area, so the areas then share the municipality's age and cohesion
AREA_COLUMNS = [("population_2020", None, 0.0, np.inf), ("share_65_plus", 0.2, 0.0, 1.0),
                ("cohesion_index", 1.0, 0.0, 10.0), ("household_size", 2.0, 1.0, 10.0)]


class DatasetError(ValueError):
    """A data set is missing or malformed."""


def available_datasets() -> list[str]:
    return sorted(p.parent.name for p in DATA_DIR.glob("*/dataset.toml"))


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise DatasetError(f"data set file missing: {path}")
    return pd.read_csv(path, comment="#")


def _single_years(groups: pd.Series) -> list[tuple[int, int]]:
    """'0-4' -> (0, 4); '95+' -> (95, MAX_AGE)."""
    out = []
    for g in groups:
        g = str(g).strip()
        if g.endswith("+"):
            out.append((int(g[:-1]), MAX_AGE))
        else:
            lo, hi = g.split("-")
            out.append((int(lo), int(hi)))
    return out


def _band_lookup(df: pd.DataFrame, column: str) -> np.ndarray:
    """Expand an (age_from, age_to, value) table to one value per single year 0..MAX_AGE."""
    out = np.zeros(MAX_AGE + 1)
    for lo, hi, v in zip(df.age_from, df.age_to, df[column]):
        out[int(lo) : min(int(hi), MAX_AGE) + 1] = v
    return out


_LOADED: dict[tuple, "Dataset"] = {}  # by folder and its files' names, sizes and times (``Dataset.load``)


@dataclass
class Dataset:
    """Loaded tables of one municipality, with the lookups the processes need."""

    name: str
    path: Path
    meta: dict = field(repr=False)

    @classmethod
    def load(cls, name_or_path: str | Path) -> "Dataset":
        p = Path(name_or_path)
        if not (p / "dataset.toml").exists():
            p = DATA_DIR / str(name_or_path)
        toml_path = p / "dataset.toml"
        if not toml_path.exists():
            raise DatasetError(
                f"unknown data set {str(name_or_path)!r}; available: {', '.join(available_datasets())} "
                "(or a folder containing dataset.toml)"
            )
        # one load per folder as its files are (a process's models share its tables: reading them
        # took about 20 ms of every model built, a twentieth of a small model's warm-up)
        key = (p.resolve(), tuple((f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in sorted(p.iterdir())))
        if key not in _LOADED:
            try:
                meta = tomllib.loads(toml_path.read_text())
            except tomllib.TOMLDecodeError as e:
                raise DatasetError(f"{toml_path}: malformed TOML: {e}") from None
            _LOADED[key] = cls(name=meta.get("name", p.name), path=p, meta=meta)
        return _LOADED[key]

    def _file(self, key: str) -> Path:
        return self.path / self.meta["files"][key]

    @cached_property
    def content_hash(self) -> str:
        """SHA-256 over every file of the data set (names and bytes), for the manifest."""
        h = hashlib.sha256()
        for f in sorted(self.path.iterdir()):
            if f.is_file():
                h.update(f.name.encode())
                h.update(f.read_bytes())
        return h.hexdigest()

    # --- areas ---------------------------------------------------------------------------
    @cached_property
    def areas(self) -> pd.DataFrame:
        """One row per area: residents (population_2020) and, optionally, the share of residents
        aged 65+, persons per household and a relative cohesion index (each defaults to the
        municipal value)."""
        path = self._file("areas")
        df = _read_csv(path)
        if "area" not in df.columns or df.empty:
            raise DatasetError(f"{path}: needs a column 'area' and one row per area")
        if df["area"].duplicated().any():
            dup = df["area"][df["area"].duplicated()].iloc[0]
            raise DatasetError(f"{path}: area {dup!r} appears twice; area names must be unique")
        df = df.copy()
        for column, default, lo, hi in AREA_COLUMNS:
            if column not in df.columns:
                if default is None:
                    raise DatasetError(f"{path}: missing column {column!r}")
                df[column] = default
            values = pd.to_numeric(df[column], errors="coerce")
            bad = values.isna() | (values < lo) | (values > hi)
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                allowed = f"at least {lo:g}" if hi == np.inf else f"from {lo:g} to {hi:g}"
                raise DatasetError(f"{path}: {column} = {df[column].iloc[i]} for area {df['area'].iloc[i]!r}; "
                                   f"allowed: a number {allowed}")
            df[column] = values.astype(float)
        if df["population_2020"].sum() <= 0:
            raise DatasetError(f"{path}: population_2020 sums to 0; at least one area needs residents")
        return df

    @property
    def area_names(self) -> list[str]:
        return list(self.areas["area"])

    @property
    def area_shares(self) -> np.ndarray:
        pop = self.areas["population_2020"].to_numpy(float)
        return pop / pop.sum()

    def _relative(self, column: str) -> np.ndarray:
        """An area column divided by its population-weighted mean (1 where all areas are equal)."""
        values = self.areas[column].to_numpy(float)
        return values / max(float(self.area_shares @ values), 1e-12)

    @property
    def area_old_age_ratio(self) -> np.ndarray:
        """Each area's share of residents aged 65+ relative to the municipality's."""
        return self._relative("share_65_plus")

    @property
    def area_household_size_ratio(self) -> np.ndarray:
        """Each area's persons per household relative to the municipality's, which is the
        residents over the households: the harmonic mean of the areas' sizes, weighted by residents."""
        sizes = self.areas["household_size"].to_numpy(float)
        return sizes * float(self.area_shares @ (1.0 / sizes))

    @property
    def area_cohesion_index(self) -> np.ndarray:
        """Each area's cohesion relative to the municipal mean (``network.cohesion``)."""
        return self._relative("cohesion_index")

    @cached_property
    def area_places(self) -> pd.DataFrame:
        """Villages and districts by area, with how each was assigned (empty if the data set
        has no such file)."""
        if "area_places" not in self.meta["files"]:
            return pd.DataFrame(columns=["place", "kind", "area", "assigned_by"])
        path = self._file("area_places")
        df = _read_csv(path)
        missing = [c for c in ("place", "area", "assigned_by") if c not in df.columns]
        if missing:
            raise DatasetError(f"{path}: missing column {missing[0]!r}")
        unknown = df.loc[~df["area"].isin(self.area_names), "area"]
        if len(unknown):
            raise DatasetError(f"{path}: area = {unknown.iloc[0]!r}; allowed: {', '.join(self.area_names)}")
        return df

    # --- age-sex structure ---------------------------------------------------------------
    @property
    def age_sex_year(self) -> int:
        return int(self.meta["files"]["age_sex_year"])

    @cached_property
    def age_sex_single_years(self) -> np.ndarray:
        """Counts by (sex, single age 0..MAX_AGE) in ``age_sex_year``; 5-year groups split by
        the within-group shape of the national single-age table."""
        groups = _read_csv(self._file("age_sex"))
        shape_df = _read_csv(self._file("single_age_shape"))
        ages = shape_df["age"].astype(str).str.rstrip("+").astype(int).to_numpy()
        shape = np.zeros(MAX_AGE + 1)
        shape[np.minimum(ages, MAX_AGE)] += shape_df["population"].to_numpy(float)
        out = np.zeros((2, MAX_AGE + 1))
        for (lo, hi), m, f in zip(_single_years(groups["age_group"]), groups["male"], groups["female"]):
            w = shape[lo : hi + 1] / shape[lo : hi + 1].sum()
            out[0, lo : hi + 1] = m * w
            out[1, lo : hi + 1] = f * w
        return out

    # --- mortality and fertility -------------------------------------------------------
    @cached_property
    def _qx(self) -> dict[int, np.ndarray]:
        df = _read_csv(self._file("mortality"))
        out = {}
        for year, g in df.groupby("year"):
            q = np.ones((2, MAX_AGE + 1))
            for s, sex in enumerate(("male", "female")):
                gs = g[g["sex"] == sex]
                q[s, gs["age"].to_numpy()] = gs["qx"].to_numpy()
            out[int(year)] = q
        return out

    @property
    def mortality_years(self) -> tuple[int, int]:
        return min(self._qx), max(self._qx)

    def qx(self, year: int) -> np.ndarray:
        """Annual death probability by (sex, age) for ``year`` (nearest table year)."""
        lo, hi = self.mortality_years
        return self._qx[min(max(year, lo), hi)]

    @cached_property
    def _asfr(self) -> dict[int, np.ndarray]:
        df = _read_csv(self._file("fertility"))
        out = {}
        for year, g in df.groupby("year"):
            rate = np.zeros(MAX_AGE + 1)
            for (lo, hi), v in zip(_single_years(g["mother_age_group"]), g["asfr_per_1000"]):
                rate[lo : hi + 1] = v / 1000.0
            out[int(year)] = rate
        return out

    @property
    def fertility_years(self) -> tuple[int, int]:
        return min(self._asfr), max(self._asfr)

    def asfr(self, year: int) -> np.ndarray:
        """Births per woman per year by single age of the mother (nearest table year)."""
        lo, hi = self.fertility_years
        return self._asfr[min(max(year, lo), hi)]

    # --- projection, migration, partnership ----------------------------------------------
    @cached_property
    def projection(self) -> pd.DataFrame:
        return _read_csv(self._file("projection"))

    @property
    def projection_variants(self) -> list[str]:
        return sorted(self.projection["variant"].unique())

    def projected_population(self, variant: str, year: float) -> float:
        """Residents on 1 January of (fractional) ``year``: linear between points, held outside."""
        if variant not in self._projection_points:
            raise DatasetError(f"projection variant {variant!r} not in {self.projection_variants}")
        years, population = self._projection_points[variant]
        return float(np.interp(year, years, population))

    @cached_property
    def _projection_points(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """(years, residents) per variant: looked up every month, so split once."""
        return {variant: (df["year"].to_numpy(float), df["population"].to_numpy(float))
                for variant, df in self.projection.sort_values("year").groupby("variant")}

    @cached_property
    def migration_profile(self) -> dict[str, np.ndarray]:
        df = _read_csv(self._file("migration_age_profile"))
        return {"out_rate": _band_lookup(df, "out_rate_per_year"), "in_weight": _band_lookup(df, "in_weight")}

    @cached_property
    def union_rate(self) -> np.ndarray:
        """Yearly probability that a single adult (not living with a parent) forms a couple, by age."""
        return _band_lookup(_read_csv(self._file("partnership")), "union_rate_per_year")

    @cached_property
    def couple_probability(self) -> np.ndarray:
        """P(lives with a partner) by (sex, age) for adults not living with a parent."""
        df = _read_csv(self._file("partnership"))
        return np.vstack([_band_lookup(df, "p_couple_male"), _band_lookup(df, "p_couple_female")])

    @cached_property
    def needs_onset(self) -> dict[str, np.ndarray]:
        """Yearly onset probability by single age, and domain shares by (age, domain)."""

        df = _read_csv(self._file("needs_onset"))
        missing = [d.name for d in DOMAINS if d.name not in df.columns]
        if missing:
            raise DatasetError(f"{self._file('needs_onset')}: missing domain columns {missing}")
        shares = np.column_stack([_band_lookup(df, d.name) for d in DOMAINS])
        shares /= np.maximum(shares.sum(axis=1, keepdims=True), 1e-12)
        return {"onset": _band_lookup(df, "onset_per_year"), "domain_shares": shares}

    @cached_property
    def employment_rate(self) -> np.ndarray:
        """Share employed by (sex, single age)."""
        df = _read_csv(self._file("employment"))
        return np.vstack([_band_lookup(df, "employed_male"), _band_lookup(df, "employed_female")])

    @cached_property
    def budget(self) -> pd.DataFrame:
        """Budget lines by year (EUR 1,000, nominal)."""
        df = _read_csv(self._file("budget"))
        df.columns = [c if c == "line" else int(c) for c in df.columns]
        return df

    @cached_property
    def tariffs(self) -> pd.DataFrame:
        return _read_csv(self._file("tariffs"))

    @cached_property
    def price_index(self) -> dict[int, float]:
        """Observed consumer price index by year (any base year)."""
        df = _read_csv(self._file("price_index"))
        return {int(y): float(v) for y, v in zip(df.year, df.cpi)}

    @cached_property
    def care_wage_index(self) -> dict[int, float]:
        """Observed collective-agreement (CAO) wage index of care and welfare by year (any base year)."""
        df = _read_csv(self._file("care_wages"))
        return {int(y): float(v) for y, v in zip(df.year, df.cao_wage)}
