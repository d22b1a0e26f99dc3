"""The policy plan's levers: for each, the mechanism it works through, what it costs (the output
that carries its price: a ledger account, or the access team's time) and the direction it moves
the durable informal share. One definition for the dose-response table (``experiments/
dose_response.py``, ``docs/levers.md``), the 40% experiment and the tests that hold each lever to
its documented direction.

A direction of 0 says the lever moves the durable share by less than ``NO_EFFECT`` either way
(paired seeds): its benefit, if any, is elsewhere (carers, unmet need, cost), which the
dose-response table shows.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass

from .scenario import SCENARIO_DIR

NO_EFFECT = 0.01  # a lever of direction 0 moves the durable share by less than a point (the plan's gap is ~12)


@dataclass(frozen=True)
class Lever:
    parameter: str  # the scenario parameter (section.name)
    doses: tuple[float, ...]  # values the dose-response table runs, beside the baseline's
    price: str  # the output column that carries its price
    durable: int  # documented direction on informal_share_durable: +1, -1, or 0 (none)
    mechanism: str


LEVERS = (
    Lever("access_team.informal_first", (0.7, 0.9, 1.0), "access_mobilisation_eur", +1,
          "the access team tries informal support (a mobilised network, volunteers) before anything formal; "
          "each attempt takes staff time from the month's investigations (access_team.mobilisation_time), so "
          "requests wait longer when the team is busy; the time is priced at the team's cost per investigation "
          "(imputed: the team's salaries are booked already)"),
    Lever("access_team.mobilisation", (2.0, 2.5), "access_mobilisation_eur", +1,
          "a deeper kitchen-table conversation frees more of the network's hours; it takes more of the team's "
          "time per attempt"),
    Lever("informal_care.respite_uptake", (0.2, 0.4), "cost_respite_eur", 0,
          "heavily burdened carers get respite or carer support (two days a month at the respite tariff), which "
          "takes informal_care.respite_relief of their strain, so fewer reach the dropout threshold and derail: "
          "carer_dropouts and repeat_requests fall. The durable share cannot show it, by how care breaks down: "
          "help is matched within the carers' free hours, and strain settles at strain_gain / strain_recovery (about "
          "0.7) times the load, below the dropout threshold (0.75) at any load up to capacity; even at the 1.5 times "
          "capacity the access team's mobilisation asks, a carer without strain needs about 8 months to cross it. So "
          "an informal solution rarely breaks down within 3 months (about one in 190 at baseline). Carers derail "
          "after months of daily care at home (co-resident carers, 20-40 h/week), and what that breaks is a problem the household met itself (it "
          "then becomes a first request) or an informal solution older than 3 months (its request made again is "
          "a repeat, which the durable share leaves out). Respite keeps care in place beyond the durable share's "
          "horizon: its benefit is in the guard rails, and it must not lower the durable share "
          "(tests/test_levers.py). The plain informal_share falls a little with it: fewer repeat requests, which "
          "are often solved informally again, are made"),
    Lever("informal_care.volunteer_share", (0.07, 0.1), "cost_volunteers_eur", 0,
          "recruiting more care volunteers enlarges the pool the access team draws on (volunteer_individual_share "
          "of them, volunteer_hours a week each); the pool costs coordination per volunteer. Volunteers are matched "
          "at baseline, but the pool is not what binds (10% sample, seed 1, end of 2020: of a pool of 130 at 5%, 40 "
          "give help and 17 their full 4 hours, and about 20 of the 216 informal solutions in place have a "
          "volunteer; at 7% the pool is 184 and 45 give help, at 10% 255 and 61). What binds is which requests the "
          "team tries informally (informal_first) and whether their hours fit (at most 3 volunteers of the area per "
          "request, 4 hours each), so the share rises by a tenth or two of a point, within the seeds' spread. The "
          "plan's other use of volunteers, light tasks taken off overburdened carers, is not in the model: it "
          "would act on carers' strain, like respite, beyond the durable share's 3 months"),
    Lever("network.area_network_eur_per_resident", (10.0, 25.0), "cost_area_networks_eur", +1,
          "community work and area networks raise each area's cohesion (saturating), so more neighbours are "
          "willing to help"),
    Lever("provisions.general_capacity_multiplier", (1.5, 2.0), "cost_general_provisions_eur", 0,
          "more places in general provisions: formal help, cheaper than customised, which the informal share does "
          "not count. Two effects on the durable share pull against each other: the contractors step clients "
          "down to the free places instead of to their networks (contractors.step_down), which leaves the "
          "networks hours for new requests (+); and requests the access team now places in a general provision "
          "no longer reach a population-based contractor's intake, which solves some of them through the "
          "client's network (contractors.take_on) (-). Net, at x2 on a 10% sample, seeds 1-5, 2019-2022 summed: "
          "-0.2 points (from -0.42 to +0.16 by seed), within the one point this table calls none"),
    Lever("prevention.budget_eur_per_resident", (10.0, 25.0), "prevention_spend_eur", 0,
          "prevention money lowers onset and escalation and strengthens the informal field, after a delay. Its "
          "benefit is fewer problems and fewer escalations (unmet need and cost fall, in the table): fewer requests "
          "of every kind, so both parts of the share fall alike, and the stronger field (neighbours' willingness, "
          "the volunteer pool) adds tenths of a point"),
    Lever("signalling.home_help_workers", (0.5, 1.0), "cost_signalling_eur", 0,
          "home-help workers signal new problems in their clients' households a step earlier (a medium or heavy "
          "problem starts a step lighter, with fewer hours); few households are reached: those with a client of "
          "household help"),
    Lever("signalling.gp_practice_nurses", (0.5, 1.0), "cost_signalling_eur", +1,
          "practice nurses for youth handle light and medium youth questions at the GP: fewer direct referrals "
          "to specialist youth care, more requests reach the access team"),
    Lever("signalling.school_social_work", (0.5, 1.0), "cost_signalling_eur", 0,
          "school social work catches problems of 12-17 year olds a step earlier; youth problems are mostly "
          "referred by GPs to specialist youth care, outside the access team's triage, so few of those caught "
          "reach a request the informal share counts"),
)
BY_PARAMETER = {lever.parameter: lever for lever in LEVERS}


def plan_levels(scenario: str = "ambition_40") -> dict[str, float]:
    """Each lever of a dated scenario at its final level (the last value its policy sets)."""
    plan = tomllib.loads((SCENARIO_DIR / f"{scenario}.toml").read_text(encoding="utf-8"))
    levels: dict[str, float] = {}
    for policy in sorted(plan["policy"], key=lambda p: p["year"]):
        levels |= policy["set"]
    return levels
