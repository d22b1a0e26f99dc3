"""Prevention: the effective stock follows spending with a delay, and its effect saturates."""

import numpy as np
import pytest

from shared_runs import from_the_start
from simulation import SocialDomainModel
from simulation.model import configured

# no reinvested contractor surplus: the municipal budget is the only prevention money
SMALL = configured("baseline", scale=0.05, scheme="fee_for_service")


def _model(end_year: int, **prevention) -> SocialDomainModel:
    """The model with these prevention parameters, set by a policy of the first year: prevention
    does not step in the warm-up (its stock starts at the start), so the run is the same as with
    them set directly, and every model here restores one warm-up (``simulation/warm_ups.py``)."""
    values = {f"prevention.{k}": v for k, v in prevention.items()}
    return SocialDomainModel(from_the_start(SMALL.with_values({"run.end_year": end_year}), values), rng=1)


def _stock_share_after(months: int, delay_years: float) -> float:
    """The stock as a share of the spending, summed over areas, after ``months`` (both in 2023
    prices: the stock is real, the spending nominal)."""
    model = _model(2016 + months // 12, budget_eur_per_resident=100.0, delay_years=delay_years)
    assert model.prevention.stock.sum() == 0  # nothing before the start
    for _ in range(months):
        model.step()
    real_spending = model.prevention.spending().sum() / model.costs.index(model.clock.year)
    return model.prevention.stock.sum() / real_spending


def test_prevention_money_builds_no_stock_in_the_warm_up():
    """Prevention starts at the start: a budget set directly, from the warm-up's first month on,
    has built no stock when the run begins (so the models here, and the prevention lever in
    ``test_levers.py``, may set it by a policy of the first year instead)."""
    model = SocialDomainModel(SMALL.with_values({"run.end_year": 2016, "prevention.budget_eur_per_resident": 100.0}),
                              rng=1)
    assert model.prevention.stock.sum() == 0


@pytest.mark.parametrize("delay_years", [1.0, 2.0])
def test_prevention_stock_reaches_63_percent_of_spending_after_its_delay(delay_years):
    months = int(delay_years * 12)
    assert _stock_share_after(months, delay_years) == pytest.approx(1 - np.exp(-1), abs=0.02)
    assert _stock_share_after(months // 4, delay_years) == pytest.approx(1 - np.exp(-0.25), abs=0.02)


def test_prevention_effect_saturates_towards_its_maximum():
    """Without delay: the onset reduction is max x (1 - exp(-EUR per resident / eur_scale))."""
    c = SMALL.prevention
    reductions = {}
    for budget in (25.0, 50.0, 100.0, 1000.0):
        model = _model(2016, budget_eur_per_resident=budget, delay_years=0.0)
        model.step()
        reductions[budget] = model.prevention.onset_reduction()
        expected = c.max_onset_reduction * (1 - np.exp(-budget / c.eur_scale))
        assert reductions[budget] == pytest.approx(expected, rel=0.03)
    assert (reductions[50.0] < 2 * reductions[25.0]).all()  # diminishing returns
    assert (reductions[1000.0] <= c.max_onset_reduction).all()
    assert reductions[1000.0] == pytest.approx(c.max_onset_reduction, rel=1e-6)
