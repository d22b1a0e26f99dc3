"""The population as a labelled table for analysts: one row per resident, codes decoded."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .domain import DOMAINS, Severity, Status
from .population import FEMALE, NO_ID


def _decoded(codes: np.ndarray, names: list[str]) -> pd.Categorical:
    """Integer codes as a categorical of ``names``; NO_ID (no value) becomes missing."""
    codes = codes.astype(np.int64)
    return pd.Categorical.from_codes(np.where(codes == NO_ID, -1, codes), categories=names)


def population_frame(model) -> pd.DataFrame:
    """Every living resident of ``model`` now: id, sex, age (completed years), household and
    area, the current problem (domain, severity, hours per week, status: who meets it) and
    the informal care they give (hours per week, strain). Ids are those of
    ``model.person(id)``; sex, area, domain, severity and status are categoricals. The date
    (the first of the month the model is at) is in ``frame.attrs["year"]``, ``["month"]``."""
    pop = model.population
    p = pop.persons
    ids = pop.persons.active()
    has_need = p.need_domain[ids] != NO_ID
    frame = pd.DataFrame({
        "id": ids,
        "sex": pd.Categorical.from_codes((p.sex[ids] == FEMALE).astype(np.int8), categories=["male", "female"]),
        "age": (model.now - p.birth_month[ids]) // 12,
        "household": p.household[ids],
        "area": pd.Categorical.from_codes(pop.households.area[p.household[ids]], categories=model.area_names),
        "need_domain": _decoded(p.need_domain[ids], [d.name for d in DOMAINS]),
        "need_severity": _decoded(np.where(has_need, p.need_severity[ids], NO_ID),
                                  [s.name.lower() for s in Severity]),
        "need_hours_per_week": np.where(has_need, p.need_hours[ids], 0.0),
        "need_status": _decoded(p.need_status[ids], [s.name.lower() for s in Status]),
        "care_given_hours_per_week": p.care_given[ids],
        "carer_strain": p.strain[ids],
    })
    frame.attrs.update(year=model.now // 12, month=model.now % 12 + 1)  # the day it describes: the 1st
    return frame
