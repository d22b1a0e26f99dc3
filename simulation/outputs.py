"""Outputs: each indicator defined once (name, unit, definition), and the rules that derive
counts and ratios from the recorded ones. The tables have one row per (replication, year[,
month], area) with ``area`` = each area name and ``total`` for the municipality; they are
recorded and assembled by ``recorder.py``.

Stocks are counted on the first day of the period (1 January for yearly rows, the first of the
month for monthly rows), as CBS counts residents; flows are summed over the period. The
accounting identity per row is ``population + births - deaths + net_migration = population_end``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .costs import BRIDGED_LINES, LINES
from .domain import DOMAINS
from .pathway import INFORMAL_OUTCOMES, OUTCOMES

TOTAL = "total"


@dataclass(frozen=True)
class Output:
    name: str
    unit: str
    definition: str
    tables: str = "yearly"  # "yearly" or "yearly+monthly"


KEYS = [
    Output("replication", "index", "Replication number within the run (0-based)", "yearly+monthly"),
    Output("seed", "integer", "Model seed of this replication (replication_seed of the run's --seed); SocialDomainModel(rng=seed) reruns it", "yearly+monthly"),
    Output("scenario", "name", "Scenario name", "yearly+monthly"),
    Output("year", "year", "Calendar year", "yearly+monthly"),
    Output("month", "1-12", "Calendar month", "monthly"),
    Output("area", "name", "Area name, or 'total' for the municipality", "yearly+monthly"),
]

STOCKS = [
    Output("population", "persons", "Residents at the start of the period (1 January / first of the month)", "yearly+monthly"),
    Output("requests_pending", "requests", "Help requests queued at the access team at the start of the period (by area of request)", "yearly+monthly"),
    Output("requests_pending_end", "requests", "Help requests queued at the end of the period", "yearly+monthly"),
    Output("waiting_list", "persons", "Persons indicated for a customised provision and waiting for a provider at the start of the period", "yearly+monthly"),
    Output("waiting_list_contract", "persons", "Of waiting_list, those whose problem is of a domain of the lead "
           "contractors' contract (funding.CONTRACT_DOMAINS: household help, individual support, day activities, debt "
           "help): the part of the list the funding schemes act on", "yearly+monthly"),
    Output("waiting_list_youth", "persons", "Of waiting_list, those waiting for youth care (outside the contractors' "
           "contract)", "yearly+monthly"),
    Output("population_end", "persons", "Residents at the end of the period (= next period's population)", "yearly+monthly"),
    Output("households", "households", "Private households with at least one resident at the start of the period", "yearly+monthly"),
    Output("pop_0_17", "persons", "Residents aged 0-17 on 1 January"),
    Output("pop_18_plus", "persons", "Residents aged 18 or older on 1 January"),
    Output("pop_20_plus", "persons", "Residents aged 20 or older on 1 January"),
    Output("waiting_list_weeks_sum", "weeks", "Sum over the persons on the providers' waiting list on 1 January of how long they had waited"),
    Output("pop_50_74", "persons", "Residents aged 50-74 on 1 January (the potential carers of CBS's ratio)"),
    Output("pop_20_49", "persons", "Residents aged 20-49 on 1 January"),
    Output("pop_50_64", "persons", "Residents aged 50-64 on 1 January"),
    Output("pop_65_74", "persons", "Residents aged 65-74 on 1 January"),
    Output("pop_75_plus", "persons", "Residents aged 75 or older on 1 January"),
    Output("pop_women_20_plus", "persons", "Women aged 20 or older on 1 January"),
    Output("debt_households", "households", "Households with a member with a debt problem (debt help), met or not, or "
           "with registered debts from one (needs.end_rate_debt) on 1 January (CBS counts registered problematic debts "
           "per household)"),
    Output("pop_65_plus", "persons", "Residents aged 65 or older on 1 January"),
    Output("pop_80_plus", "persons", "Residents aged 80 or older on 1 January"),
    Output("pop_85_plus", "persons", "Residents aged 85 or older on 1 January"),
    Output("wlz_residents", "persons", "Residents in long-term care under the Wlz (left the Wmo) on 1 January"),
    Output("hh_single", "households", "One-person households on 1 January"),
    Output("hh_single_65_plus", "households", "One-person households of a person aged 65+ on 1 January"),
    Output("hh_couple_no_children", "households", "Couples without children living at home on 1 January"),
    Output("hh_couple_with_children", "households", "Couples with at least one child living at home on 1 January"),
    Output("hh_single_parent", "households", "One parent with at least one child living at home on 1 January"),
    Output("hh_other", "households", "Other multi-person households on 1 January"),
]

FLOW_OUTPUTS = [
    Output("births", "persons", "Live births during the period", "yearly+monthly"),
    Output("deaths", "persons", "Deaths of residents during the period", "yearly+monthly"),
    Output("deaths_80_plus", "persons", "Deaths of residents aged 80 or older during the period"),
    Output("immigrants", "persons", "Persons moving into the municipality during the period", "yearly+monthly"),
    Output("emigrants", "persons", "Residents moving out of the municipality during the period", "yearly+monthly"),
    Output("moved_in", "persons", "Persons moving into the area from another area of the municipality (0 for total)", "yearly+monthly"),
    Output("moved_out", "persons", "Persons moving from the area to another area of the municipality (0 for total)", "yearly+monthly"),
    Output("net_migration", "persons", "immigrants - emigrants + moved_in - moved_out", "yearly+monthly"),
    Output("requests", "requests", "Help requests made: problems the own household could not cover (pathway.py)", "yearly+monthly"),
    *[Output(f"outcome_{o}", "requests", f"Requests whose outcome was {o.replace('_', ' ')} (pathway.py)", "yearly+monthly")
      for o in OUTCOMES],
    Output("transition_gaps", "problems", "Youth-care problems that lost their help at 18 (the 18-/18+ transition) and "
           "had to be asked for again, a step more severe"),
    Output("private_help", "problems", "Problems the own household could not cover that the resident met with "
           "privately paid help instead of a request (income-dependent contribution; contributions.py)", "yearly+monthly"),
    Output("withdrawn", "requests", "Queued requests whose problem ended or whose maker died or left", "yearly+monthly"),
    Output("informal_lapsed", "requests", "Requests solved informally whose informal help was lost (a carer derailed, "
           "died or left, or the 18-/18+ transition) within 3 months of the outcome; counted in the month it was lost "
           "(pathway.py)"),
    Output("repeat_requests", "requests", "Requests made again for the same problem after its informal solution broke "
           "down (a carer derailed, died or left): a guard rail (pathway.py)"),
    Output("repeats_closed", "requests", "Repeat requests that got an outcome or were withdrawn (left out of the "
           "durable share, which counts each problem once)"),
    Output("repeats_solved_informally", "requests", "Repeat requests solved informally (left out of the durable share)"),
    Output("repeats_lapsed", "requests", "Repeat requests whose informal help was lost within 3 months of the outcome "
           "(left out of the durable share)"),
    *[Output(f"requests_by_domain_{d.name}", "requests", f"Requests in the domain {d.name.replace('_', ' ')}")
      for d in DOMAINS],
    *[Output(f"requests_by_severity_{s}", "requests", f"Requests of {s} severity at the time they were made")
      for s in ("light", "medium", "heavy")],
    Output("escalations_while_waiting", "problems", "Problems that became more severe, or heavy ones that had a "
           "crisis, while waiting for help (access-team queue, waiting list); each costs crisis care (cost_crisis_eur) "
           "and the health insurance's care (other_payers_zvw_eur)"),
    Output("unmet_need_person_months", "person-months", "Sum over the months of the residents whose problem was "
           "waiting for help (access-team queue, waiting list) at the month's needs step"),
    Output("wlz_exits", "persons", "Residents whose heavy, lasting Wmo problem left the Wmo for long-term care under the Wlz"),
    Output("wlz_entries_from_home", "persons", "Residents aged 65+ who entered long-term care under the Wlz from home "
           "(GP, district nursing, hospital), not through a heavy, lasting Wmo problem"),
    Output("signalled_early", "problems", "New problems early signalling caught while light that would have "
           "started medium or heavy (prevention.py)"),
    Output("carer_hours", "hours", "Hours of informal care given by residents during the period (all carers)"),
    Output("narrow_carer_hours", "hours", "Hours of informal care given in the months the carer was a carer in the "
           "narrow definition (more than 8 h/week and/or longer than 3 months)"),
    Output("narrow_carer_months", "person-months", "Months in which residents were carers in the narrow definition"),
    Output("carer_dropouts", "carers", "Carers who stopped because of overload (derailed informal care)"),
    Output("carer_respite_days", "days", "Days of respite care (short stay) given to heavily burdened carers"),
    Output("access_handled", "requests", "Requests the access team investigated in the period", "yearly+monthly"),
    Output("access_wait_weeks_sum", "weeks", "Sum of their waits from request to investigation", "yearly+monthly"),
    Output("access_mobilisation_eur", "EUR (2023 prices)", "Value of the access team's time spent mobilising networks "
           "for informal support (investigations forgone, at funding.access_fte_eur_year / 12 / cases_per_fte_month "
           "each): the price of informal first in staff time; imputed, not booked (the team's salaries are in "
           "cost_access_team_eur)"),
    Output("access_within_6_weeks", "requests", "Of them, those investigated within 6 weeks", "yearly+monthly"),
    Output("provider_admissions", "persons", "Clients who started a staff-bound customised provision (not aids) in the period", "yearly+monthly"),
    Output("provider_wait_weeks_sum", "weeks", "Sum of their waits from indication to start", "yearly+monthly"),
    Output("provider_admissions_youth", "persons", "Of the provider admissions, those to youth care"),
    Output("provider_wait_weeks_sum_youth", "weeks", "Sum of their waits from indication to start"),
    Output("staff_fte", "FTE", "Providers' staff in the area (yearly: mean over the months)"),
    Output("staff_vacancies", "FTE", "Providers' unfilled staff wanted (target minus staff; yearly: monthly mean)"),
    Output("agency_fte", "FTE", "Hired (agency, self-employed) staff filling providers' open posts, at "
           "providers.agency_premium times the tariff (labour_market.py; yearly: monthly mean)"),
    Output("access_team_fte", "FTE", "The access team's staff in the area, recruited from the same labour market "
           "(yearly: monthly mean)"),
    Output("staff_wage_premium_fte", "FTE", "Providers' own staff weighted by their profession's wage premium over the "
           "care wage index (labour_market.py; yearly: monthly mean); / staff_fte = wage_premium"),
    *[Output(f"cost_{line}_eur", "EUR (nominal)", f"Cost of {line.replace('_', ' ')} for residents of the area (costs.py)")
      for line in LINES],
    Output("personal_contribution_eur", "EUR (nominal)", "Personal contributions paid by Wmo clients (part of "
           "budget_eur, which includes them: not added to the municipality's income)"),
    *[Output(f"bridging_{line}_eur", "EUR (nominal)", f"Of cost_{line}_eur, the bridging care clients waiting for a "
             "provider got from hired staff (providers.bridging_share_heavy for heavy problems, bridging_share for the "
             "others; costs.py)") for line in BRIDGED_LINES],
    Output("other_payers_zvw_eur", "EUR (nominal)", "Health-insurance (Zvw) care the escalations while waiting cause "
           "(GP, emergency department, hospital; other_payers.zvw_eur_per_escalation_*); not the municipality's"),
    Output("other_payers_wlz_eur", "EUR (nominal)", "Long-term care (Wlz) of the residents who left the Wmo for the Wlz "
           "(living, at other_payers.wlz_eur_per_client_year); not the municipality's"),
    Output("informal_care_value_eur", "EUR (nominal)", "carer_hours at the shadow price of informal care "
           "(other_payers.informal_eur_per_hour, Dutch costing manual): what the informal carers give"),
    Output("care_not_delivered_eur", "EUR (nominal)", "The care those waiting for help go without, at the price of "
           "the customised provision of their problem's domain and severity: the clients waiting for a provider (less "
           "bridging care) and the requests waiting for the access team's investigation: what the municipality does "
           "not pay and the residents bear (costs.py)"),
    Output("prevention_spend_eur", "EUR (nominal)", "Spending on prevention and the informal field: the municipal "
           "prevention budget plus what contractors reinvest from their surplus (prevention.py, funding.py)"),
    Output("budget_eur", "EUR (nominal)", "Budget: the area's contract budget plus its population share of the other lines"),
    Output("contract_sum_eur", "EUR (nominal)", "The area's population-based contract sum: the base year's amount per "
           "need-weighted resident x its need-weighted residents x the labour index, x the contractor's renegotiated "
           "factor (population-based funding; under the other schemes the formula's sum, the benchmark; funding.py)"),
    Output("provider_surplus_eur", "EUR (nominal)", "Contractor's result: payments - contract cost - the contractor's own "
           "prevention spending (reinvested surplus)"),
    Output("municipal_result_eur", "EUR (nominal)", "budget - payments to contractors - central costs - the municipal "
           "prevention budget"),
    Output("contractor_renegotiated", "contracts", "Area lead contractors whose risk capacity ran out and whose "
           "contract was renegotiated in the year (per area: its contractor, 0 or 1; population-based funding; "
           "contractors.py)"),
    Output("contractor_replaced", "contracts", "Area lead contractors that failed in the year (risk capacity out "
           "a second time in one contract) and were replaced (per area 0 or 1; the cost: "
           "cost_contractor_transition_eur)"),
    Output("stepped_down_informal", "persons", "Light and medium clients of the contract domains' customised care "
           "the lead contractor stepped down at a re-assessment to informal support from their network and "
           "volunteers (not a request solved informally: the request was met by a customised provision; "
           "contractors.py)"),
    Output("stepped_down_general", "persons", "Light and medium clients of the contract domains' customised care "
           "the lead contractor stepped down at a re-assessment to a general provision (contractors.py)"),
    Output("contractor_equity_eur", "EUR (nominal)", "Lead contractor's risk capacity (equity) on 31 December: "
           "funding.risk_limit x its budget at the contract's start plus its results since (population-based "
           "funding; 0 under the other schemes)"),
]

DISTINCT = [
    Output("carers", "persons", "Distinct residents who were carers in the narrow definition (more than 8 h/week "
           "and/or longer than 3 months) in some month of the year"),
    Output("carers_heavily_burdened", "persons", "Distinct narrow-definition carers whose strain was above "
           "informal_care.heavy_burden_threshold in some month of the year"),
    *[Output(f"carers_{band}", "persons", f"Of the carers, those aged {band.replace('_plus', '+').replace('_', '-')} "
             "at the end of the year") for band in ("20_49", "50_64", "65_74", "75_plus")],
    Output("carers_women", "persons", "Of the carers, the women (by their area at the end of the year)"),
    Output("carers_men", "persons", "Of the carers, the men (by their area at the end of the year)"),
    Output("general_provision_clients", "persons", "Distinct residents in a general provision during the year"),
    Output("wmo_clients", "persons", "Distinct residents with a customised Wmo provision (household help, "
           "individual support, day activities, aids) during the year"),
    Output("household_help_clients", "persons", "Distinct residents with customised household help during the year"),
    Output("youth_care_clients_0_17", "persons", "Distinct residents aged 0-17 with customised youth care during the year"),
    Output("protected_living_clients", "persons", "Distinct residents in protected living during the year"),
    Output("unmet_need_persons", "persons", "Distinct residents whose problem was waiting for help (access-team "
           "queue or waiting list) at the end of some month of the year"),
]


RATIOS = [
    Output("resolved", "requests", "Requests with an outcome other than withdrawn"),
    Output("solved_informally", "requests", "outcome_informal_network + outcome_informal_arranged + "
           "outcome_informal_contractor"),
    Output("informal_share", "fraction", "solved_informally / resolved: THE 40% INDICATOR (Emmen's ambition: 0.40)"),
    Output("informal_durable", "requests", "(solved_informally - informal_lapsed) - (repeats_solved_informally - "
           "repeats_lapsed): informal solutions of first requests whose help lasted 3 months or until the problem "
           "ended"),
    Output("requests_closed", "requests", "resolved + withdrawn: requests that left the pathway, with or without an "
           "outcome"),
    Output("first_requests_closed", "requests", "requests_closed - repeats_closed: the requests closed that were not "
           "made again after a breakdown"),
    Output("informal_share_access_team", "fraction", "outcome_informal_arranged / access_handled: informal support "
           "the access team arranged per request it investigated (the plan's wording of the ambition)"),
    Output("informal_share_durable", "fraction", "informal_durable / first_requests_closed: durable informal solutions "
           "per request closed; a withdrawn request counts as not solved, so turning people away cannot raise it, and "
           "each problem counts once, so care that breaks down and is found again cannot raise it either"),
    Output("access_wait_weeks_mean", "weeks", "Mean time from request to investigation of the requests the access team "
           "handled in the period (monthly steps: a request handled in its own month waits half a month)"),
    Output("access_within_6_weeks_share", "fraction", "Share of those requests handled within the statutory 6 weeks"),
    Output("carer_share_20_plus", "fraction", "carers / residents aged 20+ on 1 January (CBS: 13% in 2022)"),
    *[Output(f"carer_share_{band}", "fraction", f"carers_{band} / pop_{band}: the carer rate at ages "
             f"{band.replace('_plus', '+').replace('_', '-')} (CBS 2022 by age: 3.7% at 20-24 to 23.5% at 55-59)")
      for band in ("20_49", "50_64", "65_74", "75_plus")],
    Output("pop_men_20_plus", "persons", "pop_20_plus - pop_women_20_plus"),
    Output("carer_share_women_20_plus", "fraction", "carers_women / pop_women_20_plus (VZinfo 2022, 16+: 15.0%)"),
    Output("carer_share_men_20_plus", "fraction", "carers_men / pop_men_20_plus (VZinfo 2022, 16+: 10.9%)"),
    Output("carer_hours_per_week", "hours/week", "narrow_carer_hours / narrow_carer_months, per week: the hours a "
           "carer in the narrow definition gives while caring (CBS: 12 h/week in 2022)"),
    Output("household_help_per_1000", "per 1,000 residents", "household_help_clients / population x 1000 (CBS: NL 31 "
           "in 2024)"),
    Output("youth_care_share_0_17", "fraction", "youth_care_clients_0_17 / pop_0_17 (CBS Jeugdmonitor: 10.6% of "
           "under-23s in 2023)"),
    Output("debt_household_share", "fraction", "debt_households / households on 1 January (CBS: 7.9% of NL "
           "households in 2020; Emmen 10.4% in 2018)"),
    Output("heavily_burdened_share", "fraction", "carers_heavily_burdened / carers (CBS: 19% in 2022)"),
    Output("wmo_clients_per_1000", "per 1,000 residents", "wmo_clients / population x 1000 (CBS: NL 72 in 2024)"),
    Output("provider_wait_weeks_mean", "weeks", "provider_wait_weeks_sum / provider_admissions: the wait of those "
           "who got a place (problems that end while waiting do not count)"),
    Output("provider_wait_weeks_mean_youth", "weeks", "provider_wait_weeks_sum_youth / provider_admissions_youth: "
           "the wait for youth care of those who got a place (Jeugdautoriteit: 13-14 weeks ambulant in one region, "
           "2022-23)"),
    Output("waiting_list_weeks_mean", "weeks", "waiting_list_weeks_sum / waiting_list on 1 January: how long the "
           "people on the list had been waiting"),
    Output("wage_premium", "factor", "staff_wage_premium_fte / staff_fte: providers' wages over the care wage index "
           "(1: no shortage premium), staff-weighted over the professions"),
    Output("cost_total_eur", "EUR (nominal)", "Sum of the cost_* lines: the municipality's cost"),
    Output("bridging_eur", "EUR (nominal)", "bridging_household_help_eur + bridging_support_eur + "
           "bridging_youth_care_eur: bridging care for those waiting for a provider (part of cost_total_eur)"),
    Output("cost_other_payers_eur", "EUR (nominal)", "other_payers_zvw_eur + other_payers_wlz_eur: what the model's "
           "escalations and Wlz exits cost the health insurance and the Wlz"),
    Output("cost_societal_eur", "EUR (nominal)", "cost_total_eur + cost_other_payers_eur + informal_care_value_eur + "
           "care_not_delivered_eur: the municipality's cost, the other payers', the informal carers' hours and the care "
           "those waiting for the access team or a provider go without"),
    Output("reserve_eur", "EUR (nominal)", "Social-domain reserve on 1 January (municipality row only)"),
    Output("general_fund_eur", "EUR (nominal)", "What the reserve rule moved to the general fund (the part above "
           "funding.reserve_ceiling_eur; negative: a deficit the reserve could not cover) (municipality row only)"),
    Output("reserve_end_eur", "EUR (nominal)", "Reserve on 31 December = reserve_eur + municipal_result_eur - "
           "general_fund_eur (municipality row only)"),
    Output("price_index", "2023 = 1", "Price level of the year (Costs.index: observed CPI, then funding.cost_inflation)"),
    Output("care_wage_index", "2023 = 1", "Care wage level of the year (Costs.wage_index: observed CAO wages of care "
           "and welfare, then labour_market.wage_growth), before any shortage premium"),
    Output("cost_total_eur_real", "EUR (2023 prices)", "cost_total_eur / price_index"),
    Output("budget_eur_real", "EUR (2023 prices)", "budget_eur / price_index"),
    Output("wlz_per_1000_65_plus", "per 1,000 residents 65+", "wlz_residents / pop_65_plus x 1000 (CBS: NL 35 "
           "residents of care and nursing homes per 1,000 aged 65+ on 1 January 2020)"),
    Output("share_65_plus", "fraction", "pop_65_plus / population"),
    Output("share_80_plus", "fraction", "pop_80_plus / population"),
    Output("share_85_plus", "fraction", "pop_85_plus / population"),
    Output("household_size", "persons per household", "population / households"),
    Output("potential_carer_ratio", "persons per person", "pop_50_74 / pop_85_plus (CBS: 15 in 2015, 6 in 2040 for NL)"),
]

# the year's mean of a monthly stock: one day's count (1 January) is a noisy estimate of a stock as
# short-lived as the waiting list; the mean of the twelve first-of-month counts is the monthly
# table's, so a period's mean of these is the mean over all its months
MONTH_MEAN_STOCKS = ("waiting_list", "waiting_list_contract", "waiting_list_youth")
MONTH_MEANS = [Output(f"{name}_months_mean", "persons", f"{name} on the first of each month of the year, averaged "
                      "(the monthly table's counts): the stock over the year rather than on one day")
               for name in MONTH_MEAN_STOCKS]

OUTPUTS = KEYS + STOCKS + MONTH_MEANS + FLOW_OUTPUTS + DISTINCT + RATIOS
MONTHLY_STOCKS = ["population", "households", "requests_pending", "waiting_list", "waiting_list_contract",
                  "waiting_list_youth"]  # counted every month
YEARLY_STOCKS = [o.name for o in STOCKS if o.name not in MONTHLY_STOCKS and not o.name.endswith("_end")]
FLOWS = [o.name for o in FLOW_OUTPUTS if o.name != "net_migration"]


def yearly_columns() -> list[str]:
    return [o.name for o in OUTPUTS if "yearly" in o.tables]


def monthly_columns() -> list[str]:
    return [o.name for o in OUTPUTS if "monthly" in o.tables]


# ratio -> (numerator, denominator, factor): each ratio is a quotient of summable columns, so a
# ratio over areas or replications is the quotient of the summed counts, never a mean of ratios
RATIO_PARTS: dict[str, tuple[str, str, float]] = {
    "informal_share": ("solved_informally", "resolved", 1.0),
    "informal_share_access_team": ("outcome_informal_arranged", "access_handled", 1.0),
    "informal_share_durable": ("informal_durable", "first_requests_closed", 1.0),
    "access_wait_weeks_mean": ("access_wait_weeks_sum", "access_handled", 1.0),
    "access_within_6_weeks_share": ("access_within_6_weeks", "access_handled", 1.0),
    "carer_share_20_plus": ("carers", "pop_20_plus", 1.0),
    "carer_share_20_49": ("carers_20_49", "pop_20_49", 1.0),
    "carer_share_50_64": ("carers_50_64", "pop_50_64", 1.0),
    "carer_share_65_74": ("carers_65_74", "pop_65_74", 1.0),
    "carer_share_75_plus": ("carers_75_plus", "pop_75_plus", 1.0),
    "carer_share_women_20_plus": ("carers_women", "pop_women_20_plus", 1.0),
    "carer_share_men_20_plus": ("carers_men", "pop_men_20_plus", 1.0),
    "carer_hours_per_week": ("narrow_carer_hours", "narrow_carer_months", 12.0 / 52.0),
    "household_help_per_1000": ("household_help_clients", "population", 1000.0),
    "youth_care_share_0_17": ("youth_care_clients_0_17", "pop_0_17", 1.0),
    "debt_household_share": ("debt_households", "households", 1.0),
    "heavily_burdened_share": ("carers_heavily_burdened", "carers", 1.0),
    "wmo_clients_per_1000": ("wmo_clients", "population", 1000.0),
    "provider_wait_weeks_mean": ("provider_wait_weeks_sum", "provider_admissions", 1.0),
    "provider_wait_weeks_mean_youth": ("provider_wait_weeks_sum_youth", "provider_admissions_youth", 1.0),
    "wage_premium": ("staff_wage_premium_fte", "staff_fte", 1.0),
    "waiting_list_weeks_mean": ("waiting_list_weeks_sum", "waiting_list", 1.0),
    "wlz_per_1000_65_plus": ("wlz_residents", "pop_65_plus", 1000.0),
    "share_65_plus": ("pop_65_plus", "population", 1.0),
    "share_80_plus": ("pop_80_plus", "population", 1.0),
    "share_85_plus": ("pop_85_plus", "population", 1.0),
    "household_size": ("population", "households", 1.0),
    "potential_carer_ratio": ("pop_50_74", "pop_85_plus", 1.0),
}

# the headline indicators of experiments (sweeps, sensitivity, optimisation): the 40% indicator
# with its variants and guard rails (so no lever looks good by turning people away), what it
# costs, the need left unmet and the burden on carers
HEADLINE: tuple[str, ...] = ("informal_share", "informal_share_access_team", "informal_share_durable", "withdrawn",
                             "repeat_requests", "cost_total_eur", "prevention_spend_eur", "unmet_need_persons",
                             "carers_heavily_burdened", "heavily_burdened_share", "waiting_list",
                             "escalations_while_waiting", "unmet_need_person_months", "wmo_clients_per_1000", "population")


def derive_counts(t) -> None:
    """Add the counts derived from the recorded flows to ``t`` (a table, or a mapping of arrays
    by area): defined once, for the tables and the headline indicators (``headlines.py``)."""
    t["resolved"] = sum(t[f"outcome_{o}"] for o in OUTCOMES)
    t["solved_informally"] = sum(t[f"outcome_{o}"] for o in INFORMAL_OUTCOMES)
    # the durable share counts each problem once: repeat requests (after a breakdown) are left out
    t["informal_durable"] = (t["solved_informally"] - t["informal_lapsed"]
                             - (t["repeats_solved_informally"] - t["repeats_lapsed"]))
    t["requests_closed"] = t["resolved"] + t["withdrawn"]
    t["first_requests_closed"] = t["requests_closed"] - t["repeats_closed"]
    t["cost_total_eur"] = sum(t[f"cost_{line}_eur"] for line in LINES)
    t["bridging_eur"] = sum(t[f"bridging_{line}_eur"] for line in BRIDGED_LINES)
    t["cost_other_payers_eur"] = t["other_payers_zvw_eur"] + t["other_payers_wlz_eur"]
    t["cost_societal_eur"] = (t["cost_total_eur"] + t["cost_other_payers_eur"] + t["informal_care_value_eur"]
                              + t["care_not_delivered_eur"])


def ratio(df, name: str) -> pd.Series | np.ndarray:
    """The ratio ``name`` (a key of RATIO_PARTS) from the counts in ``df`` (a table, or a mapping
    of columns or of arrays): nan where the denominator is not positive."""
    num, den, factor = RATIO_PARTS[name]
    n, d = np.asarray(df[num], dtype=float), np.asarray(df[den], dtype=float)
    values = np.divide(n, d, out=np.full(d.shape, np.nan), where=d > 0) * factor
    return pd.Series(values, index=df[den].index) if isinstance(df[den], pd.Series) else values
