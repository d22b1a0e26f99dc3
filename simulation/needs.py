"""Needs: per person, the onset, escalation and resolution of one problem at a time.

A problem has a domain (household help, individual support, ...), a severity (light, medium,
heavy) with the hours of help per week it takes, and a status that says who is meeting it.
Onset depends on age (data set ``needs_onset.csv``), living alone, sex and this month's life
events (separation, widowhood, job loss); problems resolve at a rate by severity (slower for the
old) and escalate while the person waits for help. Where the help comes from is the pathway's
business (``pathway.py``); this module owns only the problem itself.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .candidacies import NEVER, BandedCandidacies, age_band, band_bounds, next_banded
from .dataset import MAX_AGE
from .kernels import (
    in_sorted,
    jit,
    lower_bound,
    merge_sorted,
    monthly_probability,
    select_equal,
    sorted_union,
    unique_ids,
    unit_hash,
)
from .domain import DOMAIN_INDEX, DOMAINS, IS_WAITING, WAITING, Severity, Status, status_in
from .population import FEMALE, NO_ID, Field
from .process import Clock, Process


# plain integers for the kernels
YOUTH_CARE, HEAVY, CUSTOM = DOMAIN_INDEX["youth_care"], int(Severity.HEAVY), int(Status.CUSTOM)


class Needs(Process):
    name = "needs"
    section = "needs"
    results = ("escalations_while_waiting", "unmet_need_person_months", "transition_gaps", "signalled_early")
    person_fields = {
        "need_domain": Field(np.int8, NO_ID),
        "need_severity": Field(np.int8, 0),
        "need_hours": Field(np.float32, 0.0),  # hours of help per week the problem takes
        "need_onset": Field(np.int32, 0),  # absolute month the problem began
        "need_status": Field(np.int8, Status.NONE),
        "onset_next": Field(np.int32, 0),  # clock month of the person's next onset candidacy
        # the month the person's debts are paid off or settled: a debt problem's help ends like any
        # problem's, the registered debts (what CBS counts) last years (``end_rate_debt``)
        "debt_until": Field(np.int32, NO_ID),
    }

    def __init__(self, model):
        super().__init__(model)
        self.onset_table = model.dataset.needs_onset
        self.new = np.empty(0, dtype=np.int64)  # problems begun this month, for the pathway
        self._candidacies = BandedCandidacies()  # of onset, in the person field onset_next
        self._onset_bound: tuple = (None, None)  # (the settings it was made for, the bound)
        # everyone who may have a problem, in id order (a superset: the living with one at
        # the month's start, plus those begun since), so queries by status need not scan
        # every resident
        p = self.pop.persons
        self._clients = np.flatnonzero(p.alive & (p.need_domain != NO_ID))
        # their statuses, side by side (kept by ``set_status``): a query by status reads this
        # short array instead of the status of each client, scattered over every id
        self._status = p.need_status[self._clients]
        # ids whose status or domain changed since ``take_changed`` (for counts kept up to
        # date by the changes instead of a pass over every client each month)
        self._changed: list[np.ndarray] = []

    @staticmethod
    def custom_end_factor(params) -> np.ndarray:
        """End-rate multiplier of problems in customised care, by domain: customised household
        help lasts (its clients mostly keep it until the Wlz, death or a move)."""
        factor = np.ones(len(DOMAINS))
        factor[DOMAIN_INDEX["household_help"]] = params.household_help_end_factor
        return factor

    def hours(self, severity: np.ndarray) -> np.ndarray:
        n = self.params
        return np.array([n.hours_light, n.hours_medium, n.hours_heavy], dtype=np.float32)[severity]

    def with_status(self, status: Status) -> np.ndarray:
        """Living persons whose problem has this status (in id order)."""
        return select_equal(self._clients, self._status, int(status))  # an enum slows the dispatch

    def clients_and_statuses(self) -> tuple[np.ndarray, np.ndarray]:
        """Everyone who may have a problem (in id order; those whose problem ended this month
        have status NONE) and their statuses, side by side (read-only)."""
        return self._clients, self._status

    def set_status(self, ids: np.ndarray, status: Status) -> None:
        """Persons with a problem (begun: see ``start``) get a new status."""
        if len(ids) == 0:  # (called some twenty times a month, often for nobody)
            return
        ids = np.asarray(ids, dtype=np.int64)
        self.pop.persons.need_status[ids] = status
        self._status[self._clients.searchsorted(ids)] = status  # (the clients are sorted)
        self._changed.append(ids)

    def take_changed(self) -> np.ndarray:
        """The ids whose status or domain changed since the last call (unsorted, possibly
        repeated), and a fresh start."""
        changed = np.concatenate([np.empty(0, np.int64), *self._changed])
        self._changed = []
        return changed

    def begin(self, ids: np.ndarray, domain: np.ndarray, severity: np.ndarray, now: int) -> None:
        """Give persons a new problem (status NONE until the pathway places it); not those in
        the Wlz, whose care is no longer the municipality's."""
        if len(ids) == 0:
            return
        outside = self.model.long_term_care.outside(ids)
        ids, domain, severity = ids[outside], np.asarray(domain)[outside], np.asarray(severity)[outside]
        p = self.pop.persons
        self._clients, self._status = _merge_clients(self._clients, self._status, unique_ids(ids), int(Status.NONE))
        p.need_domain[ids] = domain
        p.need_severity[ids] = severity
        p.need_hours[ids] = self.hours(severity)
        p.need_onset[ids] = self.model.clock.date
        p.need_status[ids] = Status.NONE
        self.new = sorted_union(self.new, ids)
        self._register_debts(ids[domain == DOMAIN_INDEX["debt_help"]])

    def _register_debts(self, ids: np.ndarray) -> None:
        """A debt problem brings registered debts that last a geometric number of months at
        ``end_rate_debt`` a month (from now, or from when earlier debts end, if later)."""
        rate = self.params.end_rate_debt
        if len(ids) == 0 or rate <= 0.0:
            return
        u = self.model.streams.uniform("needs.debt_duration", self.model.clock.month, ids)
        months = np.ceil(np.log1p(-u) / np.log1p(-min(rate, 1.0 - 1e-12))) if rate < 1.0 else np.ones(len(ids))
        p = self.pop.persons
        p.debt_until[ids] = np.maximum(p.debt_until[ids], self.model.clock.date + months.astype(np.int32))

    def in_debt(self, ids: np.ndarray, date: int) -> np.ndarray:
        """Mask: these persons have a debt problem or registered debts at ``date``."""
        p = self.pop.persons
        return (p.need_domain[ids] == DOMAIN_INDEX["debt_help"]) | (p.debt_until[ids] > date)

    def reopen(self, ids: np.ndarray) -> None:
        """A placed problem lost its help: the pathway places it again this month."""
        self.set_status(ids, Status.NONE)
        self.new = sorted_union(self.new, ids)

    def end(self, ids: np.ndarray, reason: str) -> None:
        """Problems end (resolved, or the person died or left): release whoever met them."""
        if len(ids) == 0:
            return
        self.model.pathway.close(ids, reason)
        p = self.pop.persons
        p.need_domain[ids] = NO_ID
        self.set_status(ids, Status.NONE)
        p.need_hours[ids] = 0.0

    def step(self, clock: Clock) -> None:
        month, now = clock.month, clock.now
        self.new = np.empty(0, dtype=np.int64)
        p = self.pop.persons
        params = self.params
        gone = unique_ids(*self.model.demography.removed)
        self.end(gone[p.need_domain[gone] != NO_ID], "departed")

        self._clients, self._status = _with_problem(self._clients, self._status, p.need_domain)  # not the departed
        ids = self._clients
        prevention = self.model.prevention
        lo, hi = prevention.target_ages()
        streams = self.model.streams
        progress = Progress(np.array([params.end_rate_light, params.end_rate_medium, params.end_rate_heavy]),
                            params.chronic_age, params.chronic_factor, params.waiting_end_factor,
                            self.custom_end_factor(params) * self.model.contractors.exit_factor(),
                            params.escalation_rate, IS_WAITING,
                            prevention.escalation_effect(), lo, hi)
        ending, adults, up = _progress(
            ids, self._status, Problems(self.pop.ages(now), self.pop.areas(), p.need_severity, p.need_domain),
            progress, streams.key("needs.progress", month), streams.key("needs.escalation", month))
        self.end(ending, "resolved")
        if clock.warm_up:
            adults = self._warm_up_stand_ins(clock, adults)
        self.transition(adults, month)
        up = up[status_in(p.need_status[up], WAITING)]  # not those the transition took off a waiting list
        heavier = up[p.need_severity[up] < HEAVY]  # a heavy problem cannot get heavier, but it has its crises
        p.need_severity[heavier] += 1
        p.need_hours[heavier] = self.hours(p.need_severity[heavier])
        areas = self.pop.area_of(up)
        self.model.recorder.count("escalations_while_waiting", areas)
        self.model.costs.crisis(up, clock.year)  # crisis care and the health insurance's: waiting is not free
        waiting = self._clients[IS_WAITING[self._status]]
        self.model.recorder.count("unmet_need_person_months", self.pop.area_of(waiting))

        self.onset(month, now, params)

    def _warm_up_stand_ins(self, clock: Clock, adults: np.ndarray) -> np.ndarray:
        """What deaths and ageing do to the problems, while the warm-up holds ages and the
        population (so its stocks settle where the run would keep them, not above or below):
        a problem ends at its holder's death rate, as if a resident of the same age without one
        took their place, and a youth-care problem at 17 reaches the 18-/18+ transition at the
        rate of turning 18 (1/12 a month). Returns ``adults`` with those reaching it."""
        p = self.pop.persons
        ids = self._clients[p.need_domain[self._clients] != NO_ID]
        self.end(self.model.demography.would_die(ids, clock, "needs.warm_up_deaths"), "departed")
        ids = ids[(p.need_domain[ids] == YOUTH_CARE) & (self.pop.age_years(ids, clock.now) == 17)]
        turning = ids[self.model.streams.uniform("needs.warm_up_ageing", clock.month, ids) < 1.0 / 12.0]
        return merge_sorted(adults[p.need_domain[adults] == YOUTH_CARE], turning)

    def transition(self, adults: np.ndarray, month: int) -> None:
        """The 18-/18+ transition of ``adults`` with a youth-care problem: youth care (Youth
        Act) ends at 18. The problem continues as individual support (Wmo); without
        continuation it loses its help, becomes a step more severe and is asked for again --
        unless transition support bridges the gap."""
        p = self.pop.persons
        a = self.model.config.access_team
        if len(adults) == 0:
            return
        u = self.model.streams.uniform("needs.transition", month, adults)
        p.need_domain[adults] = DOMAIN_INDEX["individual_support"]
        self._changed.append(adults)
        helped = status_in(p.need_status[adults], (Status.CUSTOM, Status.CUSTOM_WAIT, Status.GENERAL, Status.INFORMAL))
        gap = adults[helped & (u < a.transition_gap_share * (1.0 - a.transition_support))]
        self.model.pathway.close(gap, "transition")
        p.need_severity[gap] = np.minimum(p.need_severity[gap] + 1, Severity.HEAVY)
        p.need_hours[gap] = self.hours(p.need_severity[gap])
        self.reopen(gap)
        self.model.recorder.count("transition_gaps", self.pop.area_of(gap))

    def onset_bound(self, params) -> np.ndarray:
        """Monthly probability that bounds the onset rate of everyone of a sex and age band: of
        the highest rate of the band's ages in the table, for an adult living alone, and a
        woman (prevention only lowers rates). Made again only when a setting changes."""
        setting = (params.onset_multiplier, params.living_alone_rr, params.female_rr)
        if self._onset_bound[0] != setting:
            self._onset_bound = (setting, self._make_onset_bound(params))
        return self._onset_bound[1]

    def _make_onset_bound(self, params) -> np.ndarray:
        onset = self.onset_table["onset"]
        rate = onset[np.minimum(np.arange(MAX_AGE + 1), len(onset) - 1)] * params.onset_multiplier
        adult = np.arange(MAX_AGE + 1) >= 18
        rate = np.where(adult, rate * max(params.living_alone_rr, 1.0), rate)
        by_age = np.vstack([rate, np.where(adult, rate * max(params.female_rr, 1.0), rate)])  # by sex
        return band_bounds(monthly_probability(by_age))

    def onset(self, month: int, now: int, params) -> None:
        """New problems. Onset is drawn by thinning (``candidacies.py``): each person is a
        candidate in a month with the bounding probability of their sex and age band (the
        months between candidacies drawn ahead, so a month looks only at its candidates) and
        then gets a problem with the ratio of their own monthly probability to the bound; the
        same as a draw for everyone every month."""
        p, clock, streams = self.pop.persons, self.model.clock.date, self.model.streams
        bound = self.onset_bound(params)
        candidacies = self._candidacies
        candidates = candidacies.due(p.onset_next, clock, now, p.birth_month, p.sex, p.alive, bound,
                                     streams.key("needs.onset_first", month), streams.key("needs.onset_band", month))
        lo, hi = self.model.prevention.target_ages()
        residents = Residents(p.alive, p.need_domain, self.pop.ages(now), p.household, self.pop.household_sizes(),
                              p.sex, self.pop.areas())
        rates = OnsetRates(self.onset_table["onset"], params.onset_multiplier, params.living_alone_rr, params.female_rr,
                           self.model.prevention.onset_reduction(), lo, hi)
        new = _onset(candidates, residents, rates, p.onset_next, candidacies.banded(clock, now, p.birth_month, p.sex),
                     streams.key("needs.onset", month), streams.key("needs.onset_next", month))
        # life events bring a problem with their own probability to those without one
        events = self.model.demography.events
        with_event = ((events["separated"], params.separation_need_prob),
                      (events["widowed"], params.widowhood_need_prob),
                      (self.model.employment.job_losers, params.job_loss_need_prob))
        ids = unique_ids(*(group for group, _ in with_event))
        event_p = np.zeros(len(ids))
        for group, prob in with_event:  # in this order: job loss before widowhood before separation
            event_p[np.searchsorted(ids, group)] = prob
        free = p.alive[ids] & (p.need_domain[ids] == NO_ID) & ~in_sorted(ids, new)
        from_event = ids[free & (self.model.streams.uniform("needs.onset_event", month, ids) < event_p)]
        new = merge_sorted(new, from_event)
        ev = in_sorted(new, from_event)
        if len(new) == 0:
            return
        u_domain, u_severity = self.model.streams.uniforms("needs.kind", month, new, 2)
        shares = self.onset_table["domain_shares"][np.minimum(self.pop.age_years(new, now), MAX_AGE)]
        domain = (u_domain[:, None] > np.cumsum(shares, axis=1)).sum(axis=1)
        domain = np.minimum(domain, len(DOMAINS) - 1)
        # life events bring their own kind of problem: debt after separation or job loss,
        # household help after widowhood for the old, individual support otherwise
        widowed = in_sorted(new, np.sort(events["widowed"]))
        event_domain = np.where(widowed & (self.pop.age_years(new, now) >= 65), DOMAIN_INDEX["household_help"],
                                np.where(widowed, DOMAIN_INDEX["individual_support"], DOMAIN_INDEX["debt_help"]))
        domain = np.where(ev, event_domain, domain)
        sev_p = np.array([params.share_light, params.share_medium, 1.0 - params.share_light - params.share_medium])
        severity = (u_severity[:, None] > np.cumsum(sev_p)[None, :-1]).sum(axis=1)
        caught = self.model.prevention.signalled(new, domain, now, month)
        caught &= severity > Severity.LIGHT  # only what would have started heavier counts
        severity = np.where(caught, severity - 1, severity)  # caught one step earlier
        self.model.recorder.count("signalled_early", self.pop.area_of(new[caught]))
        self.begin(new, domain.astype(np.int8), severity.astype(np.int8), now)


class Residents(NamedTuple):
    """What onset reads of the persons (arrays by id; household sizes by household id)."""

    alive: np.ndarray
    need_domain: np.ndarray
    age: np.ndarray
    household: np.ndarray
    household_size: np.ndarray
    sex: np.ndarray
    area: np.ndarray


class OnsetRates(NamedTuple):
    """The onset rate (``_onset``): the ``onset`` rate by age from the data set, the ``needs``
    parameters of those names, and prevention's ``reduction`` by area for ages ``lo``-``hi``."""

    onset: np.ndarray
    onset_multiplier: float
    living_alone_rr: float
    female_rr: float
    reduction: np.ndarray
    lo: int
    hi: int


@jit
def _onset(candidates, residents, rates, onset_next, banded, key, key_next):
    """Of this month's ``candidates``, who gets a new problem: a living person without one,
    with the ratio of their monthly probability to the bound of their sex and age band. The
    rate is the onset rate by age, higher living alone and for women, lower where prevention
    reaches the target ages. Each living candidate is scheduled for their next candidacy
    (``candidacies.next_banded``)."""
    r, onset = residents, rates.onset
    new = np.empty(len(candidates), dtype=np.int64)
    n = 0
    for i in candidates:
        if not r.alive[i]:
            onset_next[i] = NEVER
            continue
        onset_next[i] = next_banded(i, banded.clock + 1, banded, key_next)
        if r.need_domain[i] != NO_ID:
            continue
        a = r.age[i]
        adult = a >= 18
        rate = onset[min(a, len(onset) - 1)] * rates.onset_multiplier
        rate *= rates.living_alone_rr if adult and r.household_size[r.household[i]] == 1 else 1.0
        rate *= rates.female_rr if adult and r.sex[i] == FEMALE else 1.0
        rate *= 1.0 - rates.reduction[r.area[i]] if rates.lo <= a <= rates.hi else 1.0
        # u * bound < p_month(rate), tested as (1 - u * bound)^12 > 1 - rate: five
        # multiplications instead of a power (as ``happens_this_month``)
        band, _ = age_band(i, banded.birth_month, banded.now)
        x = 1.0 - unit_hash(key, i) * banded.bound[r.sex[i], band]
        x4 = (x * x) * (x * x)
        if x4 * x4 * x4 > 1.0 - min(rate, 1.0):
            new[n] = i
            n += 1
    return new[:n]


class Problems(NamedTuple):
    """The problems' month reads (arrays by id): the person's age and area, the problem's
    severity and domain."""

    age: np.ndarray
    area: np.ndarray
    severity: np.ndarray
    domain: np.ndarray


class Progress(NamedTuple):
    """How problems progress (``_progress``): the ``needs`` parameters of those names
    (``end_rate`` by severity), ``custom_end_factor`` by domain (household help's lasting spell,
    ``Needs.custom_end_factor``, times the contractors' exit), which statuses are ``waiting``, and
    prevention's ``escalation_effect`` by area for ages ``lo``-``hi``."""

    end_rate: np.ndarray
    chronic_age: int
    chronic_factor: float
    waiting_end_factor: float
    custom_end_factor: np.ndarray
    escalation_rate: float
    waiting: np.ndarray
    escalation_effect: np.ndarray
    lo: int
    hi: int


@jit
def _progress(ids, status, problems, progress, key, key_escalation):
    """The month of the problems of ``ids`` (with their ``status``, side by side): which end
    (monthly probability ``end_rate`` by severity, times ``chronic_factor`` from
    ``chronic_age``, ``waiting_end_factor`` while waiting and ``custom_end_factor`` by domain in
    customised care: household help's lasting spell and the contractors' exit); of the others, the
    youth-care problems of adults (the 18-/18+ transition) and the waiting problems that escalate
    (``escalation_rate``, lowered by ``escalation_effect[area]`` for ages ``lo``-``hi``): a step
    more severe, or a crisis of a heavy one.
    Returns (ending, adults in youth care, escalating), in id order."""
    age, area, severity, domain = problems
    (end_rate, chronic_age, chronic_factor, waiting_end_factor, custom_end_factor, escalation_rate, waiting,
     escalation_effect, lo, hi) = progress
    ending = np.empty(len(ids), dtype=np.int64)
    adults = np.empty(len(ids), dtype=np.int64)
    up = np.empty(len(ids), dtype=np.int64)
    n_end = n_adults = n_up = 0
    for k in range(len(ids)):
        i = ids[k]
        a = age[i]
        rate = end_rate[severity[i]] * (chronic_factor if a >= chronic_age else 1.0)
        if waiting[status[k]]:
            rate *= waiting_end_factor
        elif status[k] == CUSTOM:
            rate *= custom_end_factor[domain[i]]
        if unit_hash(key, i) < rate:
            ending[n_end] = i
            n_end += 1
            continue
        if domain[i] == YOUTH_CARE and a >= 18:
            adults[n_adults] = i
            n_adults += 1
        if waiting[status[k]]:
            rate = escalation_rate * (1.0 - escalation_effect[area[i]] if lo <= a <= hi else 1.0)
            if unit_hash(key_escalation, i) < rate:
                up[n_up] = i
                n_up += 1
    return ending[:n_end], adults[:n_adults], up[:n_up]


@jit
def _merge_clients(clients, status, new, new_status):
    """The sorted ``clients`` with the sorted ``new`` merged in, and their statuses: the new
    (also those already listed) with ``new_status``. Runs of clients between the new (found
    by binary search) are copied whole."""
    out = np.empty(len(clients) + len(new), dtype=np.int64)
    out_status = np.empty(len(out), dtype=status.dtype)
    i = n = 0
    for x in new:
        p = lower_bound(clients, x, i)
        out[n: n + p - i] = clients[i: p]
        out_status[n: n + p - i] = status[i: p]
        n += p - i
        i = p + (p < len(clients) and clients[p] == x)  # (listed already: taken as new)
        out[n], out_status[n] = x, new_status
        n += 1
    out[n: n + len(clients) - i] = clients[i:]
    out_status[n: n + len(clients) - i] = status[i:]
    n += len(clients) - i
    return out[:n], out_status[:n]


@jit
def _with_problem(clients, status, need_domain):
    """Of ``clients`` (with their statuses), those with a problem."""
    keep = np.empty(len(clients), dtype=np.int64)
    keep_status = np.empty(len(clients), dtype=status.dtype)
    n = 0
    for k in range(len(clients)):
        if need_domain[clients[k]] != NO_ID:
            keep[n], keep_status[n] = clients[k], status[k]
            n += 1
    return keep[:n], keep_status[:n]
