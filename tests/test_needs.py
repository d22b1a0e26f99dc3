"""Needs: problems escalate while they wait for help, and only then."""

import numpy as np
import pandas as pd

from simulation import SocialDomainModel
from simulation.needs import WAITING, Severity
from simulation.population import NO_ID

# no youth-care transition gaps (they raise severity too) and no prevention money (which
# lowers escalation): escalation alone changes severities
PLAIN = dict(scale=0.05, end_year=2017, transition_gap_share=0.0, scheme="fee_for_service")


def _problem_months(model: SocialDomainModel, months: int) -> pd.DataFrame:
    """Step the model; for each month of needs, the problems that continue through it:
    severity and status before, severity and hours after."""
    rows = []
    needs_month = model.needs.step
    p = model.population.persons

    def watched(*args):
        ids = np.flatnonzero(p.alive & (p.need_domain != NO_ID))
        before = pd.DataFrame({"severity": p.need_severity[ids], "status": p.need_status[ids],
                               "onset": p.need_onset[ids], "domain": p.need_domain[ids]}, index=ids)
        needs_month(*args)
        same = (p.need_onset[ids] == before.onset) & (p.need_domain[ids] == before.domain)  # the same problem
        before["severity_after"] = p.need_severity[ids]
        before["hours_after"] = p.need_hours[ids]
        rows.append(before[same.to_numpy()])

    model.needs.step = watched
    for _ in range(months):
        model.step()
    return pd.concat(rows)


def test_only_waiting_problems_escalate_one_step_at_the_escalation_rate():
    rate = 0.3
    model = SocialDomainModel("baseline", rng=4, escalation_rate=rate, **PLAIN)
    r = _problem_months(model, 12)
    up = r.severity_after > r.severity
    waiting = r.status.isin([int(s) for s in WAITING])
    assert up.sum() > 0 and not (up & ~waiting).any()
    assert (r.severity_after[up] == r.severity[up] + 1).all()
    c = model.config.needs
    hours = np.array([c.hours_light, c.hours_medium, c.hours_heavy])[r.severity_after[up]]
    assert np.allclose(r.hours_after[up], hours)  # an escalated problem takes its new hours
    eligible = waiting & (r.severity < Severity.HEAVY)
    n = eligible.sum()
    assert abs(up[eligible].mean() - rate) < 4 * np.sqrt(rate * (1 - rate) / n)


def test_no_escalation_at_a_zero_rate():
    model = SocialDomainModel("baseline", rng=4, escalation_rate=0.0, **PLAIN)
    r = _problem_months(model, 12)
    assert len(r) > 0 and (r.severity_after == r.severity).all()


def test_debts_end_at_their_own_rate_whatever_their_severity():
    """A debt problem ends at needs.end_rate_debt a month (debts are paid off or settled over
    years), not at the end rate of its severity."""
    from simulation.domain import DOMAIN_INDEX, Status

    rate = 0.3  # far from every severity's end rate, so a mix-up shows
    model = SocialDomainModel("baseline", rng=4, end_rate_debt=rate, **PLAIN)
    p, rows = model.population.persons, []
    needs_month = model.needs.step

    def watched(*args):
        # debts met informally or by a general provision: no waiting or contractor factor applies
        ids = np.flatnonzero(p.alive & (p.need_domain == DOMAIN_INDEX["debt_help"])
                             & np.isin(p.need_status, [Status.INFORMAL, Status.GENERAL]))
        onset, severity = p.need_onset[ids].copy(), p.need_severity[ids].copy()
        needs_month(*args)
        ended = (p.need_domain[ids] != DOMAIN_INDEX["debt_help"]) | (p.need_onset[ids] != onset)
        rows.append(pd.DataFrame({"severity": severity, "ended": ended})[p.alive[ids]])

    model.needs.step = watched
    for _ in range(24):
        model.step()
    r = pd.concat(rows)
    groups = [(severity, ended) for severity, ended in r.groupby("severity").ended if len(ended) > 30]
    assert len(groups) >= 2  # light and medium at least (heavy debts are seldom met informally)
    for severity, ended in groups:
        assert abs(ended.mean() - rate) < 4 * np.sqrt(rate * (1 - rate) / len(ended)), (severity, ended.mean())
