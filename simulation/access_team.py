"""The access team (Toegangsteam): one organisation with staff per area, a queue with finite
investigation capacity, the statutory six-week investigation term, and triage.

Each month an area's team investigates as many households as its staff can (FTE x cases per
FTE per month); households are taken in the order of their oldest queued request, and all the
queued requests of a household are handled in the same investigation ("one household, one
plan"). Triage, in order: (a) informal support the team arranges (volunteers, a mobilised
network) when the referral policy tries it first; (b) a light question it settles itself;
(c) a general provision while the area has places; (d) a customised provision. Mobilising a
network takes staff time (``mobilisation_time``), which next month's investigations lose; its
value at the team's cost per investigation is recorded (``access_mobilisation_eur``) but not
booked: the team's salaries are on the ledger already.
"""

from __future__ import annotations

import numpy as np

from .kernels import in_sorted, stable_order, unique_ids
from .domain import WEEKS_PER_MONTH, Severity, Status, domain_flag, takes_on
from .network import Tie
from .providers import StaffChange
from .process import Clock, Process
from .random_streams import id_uniform

INVESTIGATION_TERM_WEEKS = 6  # Wmo 2015 art. 2.3.2
ARRANGED_NETWORK = (Tie.HOUSEHOLD, Tie.KIN_SAME_AREA, Tie.NEIGHBOUR, Tie.VOLUNTEER)


class AccessTeam(Process):
    name = "access_team"
    section = "access_team"
    results = ("access_handled", "access_wait_weeks_sum", "access_within_6_weeks", "access_team_fte",
               "access_mobilisation_eur")

    def __init__(self, model):
        super().__init__(model)
        self.start_population = model.start_population
        self.carry = np.zeros(len(self.start_population))  # unused fractional capacity, less time owed to mobilisation
        self.advice_ok = domain_flag("advice")
        self.general_ok = domain_flag("general")
        self.staff_fte = self.target_fte  # staff per area, hired from the labour market once it is open
        self.agency_fte = np.zeros(len(self.start_population))  # hired staff filling open posts this month

    @property
    def target_fte(self) -> np.ndarray:
        """Staff wanted per area: the formation set at the start by population, times the lever."""
        a = self.params
        return a.staff_fte_per_10k * self.start_population / 10_000 * a.staff_multiplier

    def change_staff(self, change: StaffChange) -> None:
        """The labour market's month for the team, per area in FTE (``labour_market.py``): the team
        recruits social workers from the same regional pool as the providers, and hires interim
        staff for part of its open posts as they do."""
        self.staff_fte = self.staff_fte - change.leavers + change.hires - change.released
        self.agency_fte = change.agency

    def step(self, clock: Clock) -> None:
        p, a, month, now = self.pop.persons, self.params, clock.month, clock.now
        if not self.model.labour_market.is_open():
            self.staff_fte = self.target_fte  # the formation is filled at once until the market opens
        self.model.recorder.add("access_team_fte", self.staff_fte / 12)
        queued = self.model.needs.with_status(Status.QUEUED)
        if len(queued) == 0:
            return
        capacity = (self.staff_fte + self.agency_fte) * a.cases_per_fte_month + self.carry
        cases = np.floor(np.maximum(capacity, 0.0)).astype(np.int64)
        self.carry = capacity - cases

        # households ordered by their oldest request (random among equals), ranked per area
        hh = p.household[queued]
        streams = self.model.streams
        order = np.lexsort((streams.uniform("access_team.order", month, queued), p.request_month[queued], hh))
        hh_sorted = hh[order]
        head = np.ones(len(order), dtype=bool)
        head[1:] = hh_sorted[1:] != hh_sorted[:-1]
        heads = queued[order][head]  # oldest request of each household
        rank_order = np.lexsort((streams.uniform("access_team.rank", month, heads), p.request_month[heads],
                                 p.request_area[heads]))
        heads = heads[rank_order]
        h_area = p.request_area[heads]
        first_in_area = np.searchsorted(h_area, h_area)
        rank = np.arange(len(heads)) - first_in_area
        taken = heads[rank < cases[h_area]]
        handled = queued[in_sorted(hh, unique_ids(p.household[taken]))]  # every request of a chosen household

        wait = (now - p.request_month[handled] + 0.5) * WEEKS_PER_MONTH
        rec = self.model.recorder
        rec.count("access_wait_weeks_sum", p.request_area[handled], wait)
        rec.count("access_handled", p.request_area[handled])
        rec.count("access_within_6_weeks", p.request_area[handled][wait <= INVESTIGATION_TERM_WEEKS])
        self.triage(handled, month, now)

    def triage(self, ids: np.ndarray, month: int, now: int) -> None:
        p = self.pop.persons
        ids = ids[stable_order(p.request_month[ids])]  # general places by wait
        a = self.params
        pathway = self.model.pathway
        u_first, u_heavy, u_advice, u_break = self.model.streams.uniforms("access_team.triage", month, ids, 4)
        dom, sev = p.need_domain[ids], p.need_severity[ids]

        # (a) informal first: volunteers and a mobilised network; a heavy problem needs more
        # informal hours than professional ones (substitution.heavy_hours_ratio)
        sub = self.model.config.substitution
        try_informal = (takes_on("arranged", sub, dom, id_uniform(ids, self.model.seed, "substitution"))
                        & (u_first < a.informal_first) & ((sev < Severity.HEAVY) | (u_heavy < a.heavy_informal_factor)))
        hours = p.need_hours[ids[try_informal]] * np.where(sev[try_informal] == Severity.HEAVY, sub.heavy_hours_ratio, 1.0)
        arranged = np.zeros(len(ids), dtype=bool)
        arranged[try_informal] = self.model.informal_care.match(
            ids[try_informal], ARRANGED_NETWORK, now, month, mobilisation=a.mobilisation, hours=hours)
        pathway.resolve(ids[arranged], "informal_arranged", Status.INFORMAL)
        # mobilising the network takes the team's time, from next month's investigations
        time = (np.bincount(p.request_area[ids[try_informal]], minlength=len(self.carry))
                * a.mobilisation_time * (a.mobilisation - 1.0))
        self.carry -= time
        eur_per_investigation = self.model.config.funding.access_fte_eur_year / 12 / max(a.cases_per_fte_month, 1e-9)
        self.model.recorder.add("access_mobilisation_eur", time * eur_per_investigation)

        # the breakthrough method: a one-off custom budget for heavy or stacked problems
        hh = p.household[ids]
        by_hh = np.sort(hh)
        stacked = in_sorted(hh, by_hh[1:][by_hh[1:] == by_hh[:-1]])  # the household has another request here
        custom = ~arranged & ((sev == Severity.HEAVY) | stacked) & (u_break < a.breakthrough_share)
        pathway.resolve(ids[custom], "custom_budget", Status.NONE)
        self.model.costs.custom_budget(p.request_area[ids[custom]], now // 12)
        self.model.needs.end(ids[custom], "custom_budget")

        # (b) a light question settled by the team: the problem ends here
        advice = ~arranged & ~custom & self.advice_ok[dom] & (sev == Severity.LIGHT) & (u_advice < a.advice_share)
        pathway.resolve(ids[advice], "advice", Status.NONE)
        self.model.needs.end(ids[advice], "advice")

        # (c) a general provision while there are places, else (d) a customised provision
        rest = ~arranged & ~custom & ~advice
        general = np.zeros(len(ids), dtype=bool)
        heavy_ok = (sev == Severity.HEAVY) & (self.model.streams.uniform("access_team.general_heavy", month, ids)
                                              < sub.general_heavy) if sub.general_heavy > 0 else False
        want = rest & self.general_ok[dom] & ((sev <= Severity.MEDIUM) | heavy_ok)
        general[want] = self.model.provisions.admit_general(ids[want])
        pathway.resolve(ids[general], "general", Status.GENERAL)
        self.model.informal_care.alongside_formal(ids[general], now, month)
        pathway.resolve(ids[rest & ~general], "customised", Status.CUSTOM_WAIT)
