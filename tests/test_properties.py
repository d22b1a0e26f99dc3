"""Property tests (hypothesis, derandomised so the suite is reproducible): any values within
the documented ranges run at a tiny scale with the model's invariants holding; any value
outside them, or of the wrong type, is refused in one line."""

import math
import typing

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from simulation import Scenario, ScenarioError, SocialDomainModel
from simulation.costs import LINES
from simulation.outputs import TOTAL
from simulation.scenario import FIXED_DURING_RUN, SECTIONS

TINY = {"run.scale": 0.01, "run.end_year": 2017}  # two years of about 1,100 persons
PARAMETERS = {f"{section}.{name}": info for section, cls in SECTIONS.items() if section != "run"
              for name, info in cls.model_fields.items()}
# the fixtures used (``cli``, ``tmp_path``) keep nothing from one example to the next
SETTINGS = settings(derandomize=True, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def bounds(info) -> tuple:
    found = {attr: getattr(m, attr) for m in info.metadata for attr in ("ge", "le") if hasattr(m, attr)}
    return found.get("ge"), found.get("le")


def valid_value(info) -> st.SearchStrategy:
    low, high = bounds(info)
    if typing.get_origin(info.annotation) is typing.Literal:
        return st.sampled_from(typing.get_args(info.annotation))
    if info.annotation is int:
        return st.integers(low, high)
    return st.floats(low, high, allow_nan=False)


def invalid_value(info) -> st.SearchStrategy:
    low, high = bounds(info)
    if typing.get_origin(info.annotation) is typing.Literal:
        return st.sampled_from(["", "other", "MAIN"]) | st.integers()
    wrong_type = st.booleans() | st.text(min_size=1, max_size=5) | (st.floats(allow_nan=False).filter(
        lambda v: v != int(v) if math.isfinite(v) else True) if info.annotation is int else st.nothing())
    outside = st.nothing()
    if low is not None:
        outside |= st.floats(max_value=low, exclude_max=True, allow_nan=False, allow_infinity=False) \
            if info.annotation is float else st.integers(max_value=low - 1)
    if high is not None:
        outside |= st.floats(min_value=high, exclude_min=True, allow_nan=False, allow_infinity=False) \
            if info.annotation is float else st.integers(min_value=high + 1)
    return wrong_type | outside


valid_settings = st.lists(st.sampled_from(sorted(PARAMETERS)), min_size=1, max_size=6, unique=True).flatmap(
    lambda keys: st.fixed_dictionaries({k: valid_value(PARAMETERS[k]) for k in keys}))


def check_invariants(yearly, monthly, years: int) -> None:
    """Persons, requests, money and shares add up in every row."""
    assert len(yearly) == years * 7
    for t in (yearly, monthly):
        assert (t.population + t.births - t.deaths + t.net_migration == t.population_end).all()
        resolved = t[[c for c in t.columns if c.startswith("outcome_")]].sum(axis=1)
        assert (t.requests_pending + t.requests == resolved + t.withdrawn + t.requests_pending_end).all()
        counts = t.select_dtypes("int64").drop(columns=["net_migration", "seed"], errors="ignore")
        assert (counts >= 0).all().all()
    areas = yearly[yearly.area != TOTAL].groupby("year")[["population", "requests"]].sum()
    assert (areas == yearly[yearly.area == TOTAL].set_index("year")[["population", "requests"]]).all().all()
    lhs = yearly.budget_eur  # which includes the personal contributions
    rhs = yearly.cost_total_eur + yearly.prevention_spend_eur + yearly.provider_surplus_eur + yearly.municipal_result_eur
    assert np.allclose(lhs, rhs, rtol=0, atol=1e-3 * max(yearly.budget_eur.abs().max(), 1.0))
    assert np.allclose(yearly.cost_total_eur, yearly[[f"cost_{line}_eur" for line in LINES]].sum(axis=1))
    for share in [c for c in yearly.columns if c.endswith("_share")]:
        values = yearly[share].dropna()
        assert values.between(0, 1).all(), share


@settings(SETTINGS, max_examples=12)
@given(values=valid_settings, warm_up=st.integers(0, 24), seed=st.integers(0, 2**63 - 1))
@example(values={"network.neighbour_slots": 0}, warm_up=0, seed=1)  # finding 4: a numba TypingError
@example(values={"network.neighbour_slots": 30, "needs.onset_multiplier": 5.0}, warm_up=12, seed=2**63 - 1)
def test_values_in_the_documented_ranges_run_and_keep_the_invariants(values, warm_up, seed):
    try:
        scenario = Scenario.load(None, {**TINY, "run.warm_up_months": warm_up, **values})
    except ScenarioError as e:  # a rule across parameters, e.g. shares adding up to at most 1
        assert "\n" not in str(e) and any(key.split(".")[1] in str(e) for key in values), e
        return
    model = SocialDomainModel(scenario, rng=seed)
    model.run()
    check_invariants(model.yearly(), model.monthly(), years=2)


def toml_text(value) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


@settings(SETTINGS, max_examples=60)
@given(data=st.data())
def test_set_gives_exactly_a_valid_value(data):
    key = data.draw(st.sampled_from(sorted(PARAMETERS)))
    value = data.draw(valid_value(PARAMETERS[key]))
    try:
        scenario = Scenario.load("baseline", [f"{key}={toml_text(value)}"])
    except ScenarioError as e:  # only a rule across parameters may refuse a value in its range
        assert key.split(".")[1] in str(e) and "\n" not in str(e)
        return
    assert scenario.flat()[key] == value and type(scenario.flat()[key]) is type(value)


@settings(SETTINGS, max_examples=60)
@given(data=st.data())
def test_set_refuses_a_value_outside_the_range_or_of_another_type_in_one_line(data, cli, tmp_path):
    key = data.draw(st.sampled_from(sorted(PARAMETERS)))
    value = data.draw(invalid_value(PARAMETERS[key]))
    code, _, err = cli("run", "baseline", "--set", f"{key}={toml_text(value)}", "--out", tmp_path / "never",
                       "--quiet")
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("socialsim: error: ") and key in err, err
    assert not (tmp_path / "never").exists()


@pytest.mark.parametrize("key", sorted(FIXED_DURING_RUN))
def test_structure_cannot_change_in_a_policy(key):
    with pytest.raises(ScenarioError, match="cannot change during a run"):
        Scenario.from_dict({"policy": [{"year": 2020, "set": {key: 1}}]})


@settings(SETTINGS, max_examples=40)
@given(data=st.data())
def test_an_invalid_value_in_a_policy_entry_names_that_entry(data):
    key = data.draw(st.sampled_from(sorted(k for k in PARAMETERS if k not in FIXED_DURING_RUN)))
    value = data.draw(invalid_value(PARAMETERS[key]))
    entries = data.draw(st.integers(1, 4))
    bad = data.draw(st.integers(0, entries - 1))
    policy = [{"year": 2020 + i, "set": {key: value} if i == bad else {}} for i in range(entries)]
    with pytest.raises(ScenarioError) as e:
        Scenario.from_dict({"policy": policy})
    assert f"policy[{bad}] (year {2020 + bad})" in str(e.value) and key in str(e.value)
    assert "\n" not in str(e.value)
