"""Every text the dashboard shows, in English and Dutch, in one place. Figure labels come
from ``simulation/plots.py`` (its ``label``); these are the page's own words, written for a
workshop of policy makers, care professionals and residents rather than for modellers."""

from __future__ import annotations

from typing import Any

LANGUAGES = ("en", "nl")

TEXTS: dict[str, tuple[str, str]] = {
    "title": ("socialsim workshop: the social domain over the years",
              "socialsim werksessie: het sociaal domein door de jaren heen"),
    "intro": (
        "Choose a scenario, move the levers of the policy plan and press Run. The model simulates "
        "every resident of a sample of the municipality month by month: problems arise, family, "
        "neighbours and volunteers help where they can, the access team investigates what they "
        "cannot, and providers with scarce staff deliver care. Each run is repeated with a few "
        "different random draws (replications); the bands in the figures show how far these "
        "replications spread. Every run uses the same draws, so a difference between two runs is "
        "the effect of what you changed, not chance.",
        "Kies een scenario, verschuif de knoppen van het beleidsplan en druk op Doorrekenen. Het model "
        "volgt elke inwoner van een steekproef van de gemeente maand voor maand: er ontstaan problemen, "
        "familie, buren en vrijwilligers helpen waar ze kunnen, het toegangsteam onderzoekt wat zij niet "
        "kunnen, en aanbieders met schaars personeel leveren zorg. Elke berekening wordt een paar keer "
        "herhaald met andere toevalstrekkingen (replicaties); de banden in de figuren laten zien hoe ver "
        "die uiteenlopen. Elke berekening gebruikt dezelfde trekkingen, dus een verschil tussen twee "
        "berekeningen komt door wat u veranderde, niet door toeval."),
    "language": ("Language", "Taal"),
    "scenario": ("Scenario", "Scenario"),
    "levers": ("Levers of the plan", "Knoppen van het plan"),
    "levers_note": ("A lever you move applies from the first year and replaces the scenario's own "
                    "dated changes of it.",
                    "Een knop die u verschuift geldt vanaf het eerste jaar en vervangt de geplande "
                    "wijzigingen ervan in het scenario."),
    "timeline": ("scenario: {changes}", "scenario: {changes}"),
    "run_settings": ("Run", "Berekening"),
    "scale": ("Sample of the residents", "Steekproef van de inwoners"),
    "replications": ("Replications", "Replicaties"),
    "end_year": ("Last year", "Laatste jaar"),
    "run": ("Run", "Doorrekenen"),
    "reset": ("Reset levers", "Knoppen terugzetten"),
    "download": ("Download results (CSV)", "Resultaten downloaden (CSV)"),
    "press_run": ("Press Run to simulate the scenario with these levers.",
                  "Druk op Doorrekenen om het scenario met deze knoppen door te rekenen."),
    "running": ("Running replication {r} of {n} ...", "Replicatie {r} van {n} wordt doorgerekend ..."),
    "done": ("Scenario '{scenario}', {start}-{end}: {n} replications of a {pct} sample "
             "(about {persons} residents) in {seconds} s.",
             "Scenario '{scenario}', {start}-{end}: {n} replicaties van een steekproef van {pct} "
             "(ongeveer {persons} inwoners) in {seconds} s."),
    "stale": ("The levers changed since this run: press Run to see their effect.",
              "De knoppen zijn veranderd sinds deze berekening: druk op Doorrekenen om het effect te zien."),
    "failed": ("The run failed: {error}", "De berekening is mislukt: {error}"),
    # sections
    "map_title": ("The six areas", "De zes gebieden"),
    "map_text": ("A schematic map: each area is a tile, placed roughly where it lies. The colour shows the "
                 "chosen indicator in the chosen year; the numbers in brackets are the spread over the "
                 "replications.",
                 "Een schematische kaart: elk gebied is een tegel, ongeveer waar het ligt. De kleur toont de "
                 "gekozen indicator in het gekozen jaar; de getallen tussen haakjes zijn de spreiding over de "
                 "replicaties."),
    "indicator": ("Indicator on the map", "Indicator op de kaart"),
    "year": ("Year", "Jaar"),
    "informal_text": ("The 40% question: of all help requests that get an answer, how many are solved by "
                      "family, neighbours or volunteers? Emmen's plan aims at 40%.",
                      "De 40%-vraag: van alle hulpvragen die een antwoord krijgen, hoeveel lossen familie, buren "
                      "of vrijwilligers op? Het plan van Emmen mikt op 40%."),
    "waits_text": ("How long people wait: the access team has 6 weeks by law for its investigation; after an "
                   "indication, people wait for a provider with staff.",
                   "Hoe lang mensen wachten: het toegangsteam heeft wettelijk 6 weken voor het onderzoek; na een "
                   "indicatie wachten mensen op een aanbieder met personeel."),
    "money_text": ("What it costs: the cost of all care and support against the budget, and what is left in the "
                   "social-domain reserve.",
                   "Wat het kost: de kosten van alle zorg en ondersteuning tegen het budget, en wat er overblijft "
                   "in de reserve sociaal domein."),
    "carers_text": ("The price of informal care: carers who are heavily burdened, and those who stop because "
                    "it became too much.",
                    "De prijs van mantelzorg: mantelzorgers die zwaar belast zijn, en wie stopt omdat het te "
                    "veel werd."),
    "unmet_title": ("Unmet need", "Onvervulde hulpvraag"),
    "unmet_text": ("Residents whose problem waited for help at some moment in the year (in the access team's "
                   "queue or on a provider's waiting list). The map shows it per 1,000 residents.",
                   "Inwoners van wie het probleem ergens in het jaar op hulp wachtte (in de rij van het "
                   "toegangsteam of op een wachtlijst). De kaart toont het per 1.000 inwoners."),
    # map indicators
    "map_informal_share": ("informal share (%)", "informeel aandeel (%)"),
    "map_access_wait_weeks_mean": ("wait for the access team (weeks)", "wachttijd toegangsteam (weken)"),
    "map_heavily_burdened_share": ("carers heavily burdened (%)", "mantelzorgers zwaar belast (%)"),
    "map_unmet_need_per_1000": ("unmet need per 1,000 residents", "onvervulde hulpvraag per 1.000 inwoners"),
    "map_cost_vs_budget": ("cost as % of budget", "kosten als % van het budget"),
    # levers
    "prevention.budget_eur_per_resident": ("Prevention budget (EUR per resident a year)",
                                           "Preventiebudget (euro per inwoner per jaar)"),
    "prevention.budget_eur_per_resident_help": (
        "Money for prevention and the informal field; it works with a delay of a few years.",
        "Geld voor preventie en het informele veld; het werkt met een vertraging van een paar jaar."),
    "access_team.informal_first": ("Informal first (% of requests)", "Eerst informeel (% van de hulpvragen)"),
    "access_team.informal_first_help": (
        "How often the access team first tries family, neighbours and volunteers.",
        "Hoe vaak het toegangsteam eerst familie, buren en vrijwilligers inschakelt."),
    "informal_care.respite_uptake": ("Carer support (% of overloaded carers a month)",
                                     "Mantelzorgondersteuning (% van overbelaste mantelzorgers per maand)"),
    "informal_care.respite_uptake_help": (
        "Respite care and support that give heavily burdened carers a break.",
        "Respijtzorg en ondersteuning die zwaar belaste mantelzorgers even ontlasten."),
    "informal_care.volunteer_share": ("Volunteers (% of adults 18-79)", "Vrijwilligers (% van volwassenen 18-79)"),
    "informal_care.volunteer_share_help": (
        "Residents who volunteer in care and support in their area.",
        "Inwoners die in hun gebied vrijwilligerswerk in zorg en ondersteuning doen."),
    "access_team.staff_multiplier": ("Access-team staff (x today)", "Personeel toegangsteam (x vandaag)"),
    "access_team.staff_multiplier_help": (
        "1 is today's team; 0.5 half of it.", "1 is het huidige team; 0,5 de helft ervan."),
    "labour_market.supply_growth": ("Labour supply of care workers (% growth a year)",
                                    "Aanbod zorgpersoneel (% groei per jaar)"),
    "labour_market.supply_growth_help": (
        "New entrants to the regional care labour market; negative: a shrinking supply.",
        "Nieuwe instroom op de regionale zorgarbeidsmarkt; negatief: een krimpend aanbod."),
    "funding.scheme": ("Funding of the area contractors", "Financiering van de gebiedsaannemers"),
    "funding.scheme_help": (
        "Population-based: a fixed budget per area; fee for service: paid per unit; shared savings: per unit "
        "plus half of the saving, spent on prevention.",
        "Populatiegebonden: een vast budget per gebied; per product: betaald per eenheid; gedeelde "
        "besparing: per eenheid plus de helft van de besparing, voor preventie."),
    "population": ("population-based", "populatiegebonden"),
    "fee_for_service": ("fee for service", "per product"),
    "shared_savings": ("shared savings", "gedeelde besparing"),
}


def text(key: str, lang: str, **fields: Any) -> str:
    """The text for ``key`` in ``lang``; unknown keys are returned as they are."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang = {lang!r}: must be one of {', '.join(LANGUAGES)}")
    value = TEXTS[key][LANGUAGES.index(lang)] if key in TEXTS else key
    return value.format(**fields) if fields else value


def number(value: float, lang: str, digits: int = 0) -> str:
    """12,345.6 in English, 12.345,6 in Dutch."""
    shown = f"{value:,.{digits}f}"
    return shown.translate(str.maketrans(",.", ".,")) if lang == "nl" else shown
