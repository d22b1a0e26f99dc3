"""The pathway of a help request (the Emmen access model) and its ledger: the 40% indicator.

A problem that the own household cannot cover becomes a **help request**. The person first asks
their own network (kin, neighbours; children living elsewhere give a few hours); what that
covers is **solved informally**. Otherwise the request goes to the access team's queue
(``access_team.py``), which triages it. Protected living is accessed centrally and most youth
care is referred by GPs, both without the area's access team.

Every request ends in exactly one outcome, or is still pending (queued) at the end:

    informal_network   covered by the own network when asked
    informal_arranged  informal support the access team arranged (volunteers, mobilised network)
    informal_contractor  informal support the area's lead contractor arranged for an indicated
                       customised provision it delivers through the informal field (``contractors.py``)
    advice             a light question the access team settled itself
    custom_budget      a one-off custom budget outside the standard provisions (breakthrough method)
    general            a general provision
    customised         a customised provision (Wmo, youth care, debt help)
    protected          protected living
    withdrawn          the problem ended, or the person died or left, while the request was queued

``solved_informally = informal_network + informal_arranged + informal_contractor`` and
``informal_share = solved_informally / resolved`` with ``resolved`` = all outcomes but withdrawn.
Requests are counted in the area where they were made.

Beside it, the variants and guard rails (``outputs.RATIO_PARTS``): a request solved informally
is remembered (``informal_since``) until its problem ends or its informal help is lost; help
lost (a carer derailed, died or left, or the 18-/18+ transition) within ``DURABLE_MONTHS`` of
the outcome counts the request in ``informal_lapsed``, and the request the person then makes
again counts in ``repeat_requests``. The durable share counts each problem once: a repeat
request and what becomes of it (``repeats_closed``, ``repeats_solved_informally``,
``repeats_lapsed``) are left out of it, so care that breaks down and is found again cannot add
a durable solution (``outputs.derive_counts``).
"""

from __future__ import annotations

import numpy as np

from .domain import DOMAIN_INDEX, DOMAINS, Status, domain_flag, takes_on
from .kernels import in_sorted
from .network import Tie
from .population import NO_ID, Field
from .process import Clock, Process
from .random_streams import id_uniform

OUTCOMES = ("informal_network", "informal_arranged", "informal_contractor", "advice", "custom_budget", "general",
            "customised", "protected")
OWN_NETWORK = (Tie.HOUSEHOLD, Tie.KIN_SAME_AREA, Tie.NEIGHBOUR)
BY_DOMAIN = [f"requests_by_domain_{d.name}" for d in DOMAINS]  # flows counting requests, by domain index
BY_SEVERITY = [f"requests_by_severity_{s}" for s in ("light", "medium", "heavy")]  # and by severity
INFORMAL_OUTCOMES = ("informal_network", "informal_arranged", "informal_contractor")
DURABLE_MONTHS = 3  # informal help still in place this long after the outcome is durable (issue 17)


class Pathway(Process):
    name = "pathway"
    results = ("requests", *[f"outcome_{o}" for o in OUTCOMES], "private_help", "withdrawn", *BY_DOMAIN, *BY_SEVERITY,
               "informal_lapsed", "repeat_requests", "repeats_closed", "repeats_solved_informally", "repeats_lapsed")
    person_fields = {
        "request_month": Field(np.int32, NO_ID),  # absolute month the open request was made
        "request_area": Field(np.int16, NO_ID),  # area index where it was made
        "wait_since": Field(np.int32, NO_ID),  # absolute month a waiting list was joined
        # the month the person's request was solved informally, while that help lasts (the
        # area is request_area: no new request is made before the help ends)
        "informal_since": Field(np.int32, NO_ID),
        # the open request, or the one whose informal solution lasts, was made again after a breakdown
        "request_repeat": Field(np.bool_, False),
    }

    def __init__(self, model):
        super().__init__(model)
        self.household_ok = domain_flag("household")

    def step(self, clock: Clock) -> None:
        """Place every new or reopened problem."""
        p, month, now = self.pop.persons, clock.month, clock.now
        ids = self.model.needs.new
        ids = ids[p.alive[ids] & (p.need_domain[ids] != NO_ID) & (p.need_status[ids] == Status.NONE)]
        if len(ids) == 0:
            return
        # a request solved informally whose help was lost (the carers reopened the problem)
        again = ids[p.informal_since[ids] != NO_ID]
        self.informal_help_ends(again, lost=True)
        care = self.model.informal_care
        # 1. the own household covers it: no request
        dom = p.need_domain[ids]
        try_home = self.household_ok[dom]
        home = np.zeros(len(ids), dtype=bool)
        home[try_home] = care.match(ids[try_home], (Tie.HOUSEHOLD,), now, month)
        self.model.needs.set_status(ids[home], Status.SELF)
        ids = ids[~home]
        # under an income-dependent contribution some organise help themselves
        private = self.model.contributions.opts_out(ids, now // 12, month)
        self.model.needs.set_status(ids[private], Status.PRIVATE)
        self.model.recorder.count("private_help", self.pop.area_of(ids[private]))
        ids = ids[~private]
        self.raise_requests(ids, now, again)

        # 2. central routes: protected living; youth care referred by a GP
        dom = p.need_domain[ids]
        u = self.model.streams.uniform("pathway.route", month, ids)
        protected = dom == DOMAIN_INDEX["protected_living"]
        self.resolve(ids[protected], "protected", Status.PROTECTED_WAIT)
        gp_share = (self.model.config.access_team.youth_gp_referral_share
                    * self.model.prevention.gp_referral_factor(p.need_severity[ids]))
        gp = (dom == DOMAIN_INDEX["youth_care"]) & (u < gp_share)
        self.resolve(ids[gp], "customised", Status.CUSTOM_WAIT)
        ids = ids[~protected & ~gp]

        # 3. the own network: kin, neighbours, and hours from children living elsewhere
        covered = self.own_network_covers(ids, now, month)
        self.resolve(ids[covered], "informal_network", Status.INFORMAL)
        self.model.needs.set_status(ids[~covered], Status.QUEUED)

    def own_network_covers(self, ids: np.ndarray, now: int, month: int) -> np.ndarray:
        """Mask: the own network (kin, neighbours, and hours from children living elsewhere)
        takes on and covers each of these problems, where the domain's network route takes it on;
        the care relations begun are committed."""
        p = self.pop.persons
        ask = takes_on("network", self.model.config.substitution, p.need_domain[ids],
                       id_uniform(ids, self.model.seed, "substitution"))
        outside = p.children_outside[ids[ask]] * self.model.config.informal_care.outside_child_hours
        covered = np.zeros(len(ids), dtype=bool)
        covered[ask] = self.model.informal_care.match(ids[ask], OWN_NETWORK, now, month, outside_hours=outside)
        return covered

    def raise_requests(self, ids: np.ndarray, now: int, again: np.ndarray) -> None:
        """Requests are made (``again``: the sorted ids whose informal solution broke down)."""
        p, rec = self.pop.persons, self.model.recorder
        area = self.pop.area_of(ids)
        repeat = in_sorted(ids, again)
        rec.count("repeat_requests", area[repeat])
        p.request_repeat[ids] = repeat
        p.request_month[ids] = self.model.clock.date
        p.request_area[ids] = area
        rec.count("requests", area)
        rec.count_by(BY_DOMAIN, p.need_domain[ids], area)
        rec.count_by(BY_SEVERITY, p.need_severity[ids], area)

    def resolve(self, ids: np.ndarray, outcome: str, status: Status) -> None:
        """Requests get their outcome; the person's problem gets its new status. Customised
        indications reach the area's lead contractor here first, whichever way they came (the
        access team, a GP): it may deliver some through the informal field and resolve those
        itself (``Contractors.take_on``); the rest get ``outcome``."""
        if len(ids) == 0:  # (some outcomes are rare in a month at small scale)
            return
        p, rec = self.pop.persons, self.model.recorder
        if outcome == "customised":
            ids = self.model.contractors.take_on(ids)
        rec.count(f"outcome_{outcome}", p.request_area[ids])
        repeats = ids[p.request_repeat[ids]]
        rec.count("repeats_closed", p.request_area[repeats])
        if outcome in INFORMAL_OUTCOMES:
            rec.count("repeats_solved_informally", p.request_area[repeats])
        self.model.needs.set_status(ids, status)
        p.request_month[ids] = NO_ID
        if status in (Status.CUSTOM_WAIT, Status.PROTECTED_WAIT):
            p.wait_since[ids] = self.model.clock.date
        if status == Status.CUSTOM_WAIT:  # the network carries the wait for a customised provision
            self.model.informal_care.while_waiting(ids, self.model.clock.now, self.model.clock.month)
        if outcome in INFORMAL_OUTCOMES:
            p.informal_since[ids] = self.model.clock.date
        if outcome == "customised":
            self.aid_beside_household_help(ids)

    def aid_beside_household_help(self, ids: np.ndarray) -> None:
        """The household-help clients among ``ids`` who also use an aid (``Provisions.aided``) ask
        for it with their household help: a request for aids and adaptations, met by a customised
        provision (a person has one problem at a time, so the aid is not a problem of its own)."""
        p, rec = self.pop.persons, self.model.recorder
        aided = self.model.provisions.aided(ids)
        if len(aided) == 0:
            return
        area = p.request_area[aided]
        rec.count("requests", area)
        rec.count("requests_by_domain_aids_adaptations", area)
        rec.count_by(BY_SEVERITY, p.need_severity[aided], area)
        rec.count("outcome_customised", area)

    def informal_help_ends(self, ids: np.ndarray, lost: bool) -> None:
        """The informal solution of these requests ends: with the problem (durable), or with
        the help ``lost``, which within DURABLE_MONTHS of the outcome is a lapse."""
        p = self.pop.persons
        ids = ids[p.informal_since[ids] != NO_ID]
        if len(ids) == 0:  # (often, at small scale)
            return
        if lost:
            early = ids[self.model.clock.date - p.informal_since[ids] < DURABLE_MONTHS]
            self.model.recorder.count("informal_lapsed", p.request_area[early])
            self.model.recorder.count("repeats_lapsed", p.request_area[early[p.request_repeat[early]]])
        p.informal_since[ids] = NO_ID

    def close(self, ids: np.ndarray, reason: str) -> None:
        """A problem ends: a queued request is withdrawn; carers and places are released."""
        p = self.pop.persons
        queued = ids[p.need_status[ids] == Status.QUEUED]
        self.model.recorder.count("withdrawn", p.request_area[queued])
        self.model.recorder.count("repeats_closed", p.request_area[queued[p.request_repeat[queued]]])
        p.request_month[ids] = NO_ID
        # the transition to 18 takes the help away; any other reason ends the problem itself
        self.informal_help_ends(ids, lost=reason == "transition")
        self.model.informal_care.release(ids[p.carers[ids, 0] != NO_ID])
