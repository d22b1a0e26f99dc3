"""Informal care: carer strain and derailment (an overloaded carer stops caring)."""

import numpy as np

from simulation import SocialDomainModel
from simulation.population import NO_ID

# strain builds fast and the threshold is low, so carers cross it within months
OVERLOAD = dict(scale=0.05, end_year=2017, strain_gain=0.5, dropout_threshold=0.3)


def _strain_of_those_caring(model: SocialDomainModel, months: int) -> list[np.ndarray]:
    """Step the model; right after informal care's month each time, the strain of everyone
    still caring."""
    seen = []
    carers_month = model.informal_care.step

    def watched(*args):
        carers_month(*args)
        p = model.population.persons
        seen.append(p.strain[p.alive & (p.care_since != NO_ID)].copy())

    model.informal_care.step = watched
    for _ in range(months):
        model.step()
    return seen


def _dropouts(model: SocialDomainModel) -> int:
    return int(model.yearly().query("area == 'total'").carer_dropouts.sum())


def test_overloaded_carer_stops_caring():
    """With a certain dropout above the threshold, no one still caring at the end of the
    carers' month has strain above it."""
    model = SocialDomainModel("baseline", rng=3, dropout_rate=1.0, **OVERLOAD)
    strains = _strain_of_those_caring(model, 24)
    assert max(s.max(initial=0.0) for s in strains) <= OVERLOAD["dropout_threshold"]
    assert _dropouts(model) > 0


def test_carers_never_drop_out_at_a_zero_dropout_rate():
    """The same strain without dropout: carers stay above the threshold and none stops."""
    model = SocialDomainModel("baseline", rng=3, dropout_rate=0.0, **OVERLOAD)
    strains = _strain_of_those_caring(model, 24)
    assert sum(int((s > OVERLOAD["dropout_threshold"]).sum()) for s in strains) > 0
    assert _dropouts(model) == 0


def test_heavier_care_load_means_more_dropouts():
    runs = {}
    for gain in (0.1, 0.4):
        model = SocialDomainModel("baseline", rng=5, scale=0.05, end_year=2018, strain_gain=gain)
        model.run()
        runs[gain] = _dropouts(model)
    assert runs[0.4] > 1.5 * runs[0.1]
