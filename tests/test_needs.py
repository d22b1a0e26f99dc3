"""Needs: problems escalate while they wait for help, and only then; household help lasts longer
than other problems."""

import numpy as np
import pandas as pd

from simulation import SocialDomainModel
from simulation.domain import DOMAIN_INDEX, IS_WAITING, Status
from simulation.needs import WAITING, Needs, Problems, Progress, Severity, _progress
from simulation.random_streams import Streams
from simulation.scenario import Scenario
from simulation.population import NO_ID

# no youth-care transition gaps (they raise severity too) and no prevention money (which
# lowers escalation): escalation alone changes severities. A 12-month warm-up: the month's rule is
# what is held, and there are as many waiting problems to hold it on (6 December 2026: 243 that
# could escalate against 162 after 120 months)
PLAIN = dict(scale=0.05, end_year=2017, warm_up_months=12, transition_gap_share=0.0, scheme="fee_for_service")


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


def test_registered_debts_last_a_geometric_number_of_months_at_the_debt_end_rate():
    """A debt problem brings registered debts lasting on average 1 / end_rate_debt months;
    debts that begin while earlier ones last end no sooner than those (registered here directly:
    the model needs no warm-up)."""
    rate = 0.05
    model = SocialDomainModel("baseline", rng=4, end_rate_debt=rate, scale=0.02, end_year=2016, warm_up_months=0)
    p, date = model.population.persons, model.clock.date
    ids = np.flatnonzero(p.alive)[:3000]
    p.debt_until[ids] = NO_ID
    model.needs._register_debts(ids)
    months = p.debt_until[ids] - date
    sd = np.sqrt(1 - rate) / rate
    assert months.min() >= 1 and abs(months.mean() - 1 / rate) < 4 * sd / np.sqrt(len(ids))
    later = p.debt_until[ids].copy()
    p.debt_until[ids[:10]] = date + 10_000  # long-lasting earlier debts
    model.needs._register_debts(ids[:10])
    assert (p.debt_until[ids[:10]] == date + 10_000).all()
    assert (later > date).all()


def test_debt_households_count_registered_debts_after_the_help_has_ended():
    """Registered debts outlast the debt problem's help: households are counted in debt while
    they last, so longer debts mean more debt households (paired seed) and the same requests."""
    runs = {}
    for rate in (0.012, 0.5):
        model = SocialDomainModel("baseline", rng=4, end_rate_debt=rate, scale=0.05, end_year=2018)
        model.run()
        p = model.population.persons
        lingering = p.alive & (p.debt_until > model.clock.date) & (p.need_domain == NO_ID)
        runs[rate] = (model.yearly().query("area == 'total'").set_index("year"), int(lingering.sum()))
    (long, lingering_long), (short, _) = runs[0.012], runs[0.5]
    assert lingering_long > 0  # in debt without a debt problem
    assert (long.debt_household_share.loc[2017:] > 1.5 * short.debt_household_share.loc[2017:]).all()
    assert (long.requests == short.requests).all()  # the help episodes are the same


def _ended_share(domain: str, status: Status, end_factor: float, n: int = 20_000) -> float:
    """Share of ``n`` light problems of 50-year-olds in ``domain`` with ``status`` that end in one
    month of ``needs._progress``, with household help's end factor ``end_factor``."""
    c = Scenario.load("baseline").with_values({"needs.household_help_end_factor": end_factor}).needs
    problems = Problems(np.full(n, 50, np.int16), np.zeros(n, np.int16), np.zeros(n, np.int8),
                        np.full(n, DOMAIN_INDEX[domain], np.int8))
    progress = Progress(np.array([c.end_rate_light, c.end_rate_medium, c.end_rate_heavy]), c.chronic_age,
                        c.chronic_factor, c.waiting_end_factor, Needs.custom_end_factor(c), c.escalation_rate,
                        IS_WAITING, np.zeros(1), 0, 120)
    streams = Streams(3)
    ending, _, _ = _progress(np.arange(n), np.full(n, int(status), np.int8), problems, progress,
                             streams.key("test", 0), streams.key("test", 1))
    return len(ending) / n


def test_customised_household_help_ends_at_its_own_fraction_of_the_end_rate():
    n, factor = 20_000, 0.15
    rate = Scenario.load("baseline").needs.end_rate_light
    for domain, status, expected in (("household_help", Status.CUSTOM, rate * factor),
                                     ("household_help", Status.SELF, rate),  # the household's help: as other problems
                                     ("individual_support", Status.CUSTOM, rate)):
        share = _ended_share(domain, status, factor, n)
        assert abs(share - expected) < 4 * np.sqrt(expected * (1 - expected) / n), (domain, status)
    without = _ended_share("household_help", Status.CUSTOM, 1.0, n)
    assert without > 3 * _ended_share("household_help", Status.CUSTOM, factor, n)  # the factor makes it last
