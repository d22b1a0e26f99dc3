"""The regional labour market for care and welfare workers: a pool of job seekers by
profession that the providers and the access team hire from, fed by new entrants and by staff
who change employer, with wages that respond to open posts.

Each month every employer (providers, and the access team's social workers in the profession
``support``) loses staff by turnover; part of the leavers stays in the sector, the rest leaves it.
The municipality's employers are a small part of the region's care and welfare sector
(``regional_sector_multiple``): the leavers who stay in the sector and the job changers of the
rest of the region choose among all the region's open posts, so the pool receives the share of
them that its employers' vacancies (drawn by their wage premium) are of the region's, and a
vacancy rate above the region's draws workers in. New entrants join the pool at the rate that balanced the sector when
the market opened, growing or shrinking by ``labour_market.supply_growth`` per year and drawn by
the profession's wage premium (``supply_elasticity``: regional competition for workers). Job
seekers beyond their profession's open posts move to professions with more open posts than
seekers (``mobility``). Employers fill vacancies from the pool, competing in proportion to their
vacancies, within ``hire_share`` of the pool a month; they fill part of the posts still open with
hired (agency, self-employed) staff at ``providers.agency_premium``. A profession's
wage premium over the care wage index grows while its vacancy rate is above the normal rate and
falls back below it, never under the index nor above ``wage_premium_max`` over it (wages follow
collective agreements: past the allowances a shortage shows as open posts and waiting); the labour part of the tariffs follows it
(``costs.py``). So a shortage is paid for: in wages, hired staff, and the crisis care and
heavier needs of those who wait.

The market opens after ``labour_market.opens_after_months`` months of the social processes,
warm-up included (by default the warm-up: it opens at the start of the run), balanced on the
employers' staff then. Until it opens, staff follows demand at once. So the sector starts as
large as the settled demand needs whatever the warm-up.
"""

from __future__ import annotations

import numpy as np

from .domain import PROFESSIONS
from .process import Clock, Process
from .providers import StaffChange

SUPPORT = PROFESSIONS.index("support")  # the access team's social workers
SURPLUS = 1.2  # staff above this multiple of the staff wanted goes back to the pool


class LabourMarket(Process):
    name = "labour_market"
    section = "labour_market"
    results = ("staff_wage_premium_fte",)
    in_warm_up = False

    def __init__(self, model):
        super().__init__(model)
        self.pool = np.zeros(len(PROFESSIONS))  # FTE looking for work in the region
        self.base_entrants = np.zeros(len(PROFESSIONS))  # FTE per month when the market opened
        self.wage = np.ones(len(PROFESSIONS))  # wage premium over the care wage index, by profession
        self.opens = 0  # clock month of the first month it runs
        self.region_fte = np.zeros(len(PROFESSIONS))  # the rest of the region's sector when the market opened
        self._open = False

    def is_open(self) -> bool:
        return self._open

    def start(self, clock: Clock) -> None:
        self.opens = max(self.params.opens_after_months - self.model.config.run.warm_up_months, 0)
        if self.opens == 0:
            self._balance()

    def _employers(self) -> tuple[np.ndarray, np.ndarray]:
        """Staff and staff wanted by (employer, profession): the providers, then the access team
        per area."""
        providers, team = self.model.providers, self.model.access_team
        team_fte = np.zeros((len(team.staff_fte), len(PROFESSIONS)))
        team_target = np.zeros_like(team_fte)
        team_fte[:, SUPPORT] = team.staff_fte
        team_target[:, SUPPORT] = team.target_fte
        return np.vstack([providers.fte, team_fte]), np.vstack([providers.target_fte, team_target])

    def _balance(self) -> None:
        """Open, balanced on the employers' staff now: entrants replace the leavers who leave
        the sector; the pool holds a few months of hiring."""
        c = self.params
        staff = self._employers()[0].sum(axis=0)
        self.base_entrants = staff * self._monthly_turnover() * (1 - c.stay_in_sector_share)
        self.pool = staff * c.initial_pool_share
        self.region_fte = staff * c.regional_sector_multiple
        self._open = True

    def _monthly_turnover(self) -> float:
        return 1 - (1 - self.params.turnover_rate) ** (1 / 12)

    def agency_share(self) -> np.ndarray:
        """Share of the providers' staff (own and hired) that is hired, by profession."""
        providers = self.model.providers
        hired = providers.agency.sum(axis=0)
        total = providers.fte.sum(axis=0) + hired
        return np.divide(hired, total, out=np.zeros_like(total), where=total > 0)

    def step(self, clock: Clock) -> None:
        providers = self.model.providers
        # the staff the providers recorded this month, at the wages they were paid
        self.model.recorder.count("staff_wage_premium_fte", providers.provider_area,
                                  (providers.fte * self.wage).sum(axis=1) / 12)
        if not self._open:
            if clock.month + 1 >= self.opens:
                self._balance()  # on the staff employers hired freely this month
            return
        c = self.params
        fte, target = self._employers()
        n_providers = len(providers.fte)
        leavers = fte * self._monthly_turnover()
        fte -= leavers
        years = (clock.month - self.opens) / 12
        vacancies = np.maximum(target - fte, 0)
        total = vacancies.sum(axis=0)
        self.pool += self._job_changers(leavers.sum(axis=0), total, years)
        self.pool += self.base_entrants * (1 + c.supply_growth) ** years * self.wage ** c.supply_elasticity
        self._move(total)
        hires_total = np.minimum(total, self.pool * c.hire_share)
        share = np.divide(vacancies, total, out=np.zeros_like(vacancies), where=total > 0)
        hires = share * hires_total
        fte += hires
        self.pool -= hires_total
        still_open = np.maximum(target - fte, 0)
        agency = still_open * c.agency_fill_share
        released = np.maximum(fte - target * SURPLUS, 0)  # no redundancies beyond turnover: to the pool
        self.pool += released.sum(axis=0)
        if clock.year > max(self.model.dataset.care_wage_index):  # observed wages hold the market's response
            self._adjust_wages(target.sum(axis=0) - fte.sum(axis=0), target.sum(axis=0))
        p = slice(0, n_providers)
        providers.change_staff(StaffChange(leavers[p], hires[p], released[p], agency[p]))
        team = slice(n_providers, None)
        self.model.access_team.change_staff(StaffChange(*(a[team, SUPPORT] for a in (leavers, hires, released, agency))))

    def regional_vacancy_rate(self, years: float) -> float:
        """The rest of the region's vacancy rate ``years`` after the market opened: the normal
        rate while its staff (growing like the entrants, ``supply_growth``) keeps pace with its
        demand (``regional_demand_growth``), rising as it falls behind."""
        c = self.params
        return 1 - (1 - c.normal_vacancy_rate) * ((1 + c.supply_growth) / (1 + c.regional_demand_growth)) ** years

    def _job_changers(self, leavers: np.ndarray, vacancies: np.ndarray, years: float) -> np.ndarray:
        """FTE by profession joining the pool from the region's job changers: the employers'
        leavers who stay in the sector and those of the rest of the region (at the same turnover)
        go to the region's open posts, this market's share in proportion to its vacancies
        weighted by its wage premium (``supply_elasticity``). With the market's vacancy rate at the
        region's, as many join as its own leavers who stay in the sector."""
        c = self.params
        region = self.region_fte * (1 + c.supply_growth) ** years
        changers = (leavers + region * self._monthly_turnover()) * c.stay_in_sector_share
        rate = self.regional_vacancy_rate(years)
        drawn = vacancies * self.wage ** c.supply_elasticity
        elsewhere = region * rate / (1 - rate)
        share = np.divide(drawn, drawn + elsewhere, out=np.zeros_like(drawn), where=drawn + elsewhere > 0)
        return changers * share

    def _move(self, vacancies: np.ndarray) -> None:
        """Job seekers beyond their profession's open posts move, at ``mobility`` a month, to the
        professions with more open posts than seekers, in proportion to that gap."""
        idle = np.maximum(self.pool - vacancies, 0)
        short = np.maximum(vacancies - self.pool, 0)
        if idle.sum() <= 0 or short.sum() <= 0:
            return
        moved = min(self.params.mobility * idle.sum(), short.sum())
        self.pool += moved * (short / short.sum() - idle / idle.sum())

    def _adjust_wages(self, open_posts: np.ndarray, wanted: np.ndarray) -> None:
        """Each profession's wage premium grows with its vacancy rate above the normal rate (and
        shrinks below it), never under the care wage index nor above ``wage_premium_max`` over it:
        wages follow collective agreements, so past the allowances a shortage shows as open posts
        and waiting. The rate is the profession's, net of employers with more staff than they
        want: the tightness of the market, not of one employer."""
        c = self.params
        rate = np.divide(open_posts, wanted, out=np.zeros_like(wanted), where=wanted > 0)
        growth = np.maximum(1 + c.wage_response * (rate - c.normal_vacancy_rate), 1e-6) ** (1 / 12)
        self.wage = np.clip(self.wage * growth, 1.0, 1.0 + c.wage_premium_max)
