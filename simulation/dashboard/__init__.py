"""The workshop dashboard: a Solara app in the browser (``socialsim dashboard``).

Plain Solara rather than Mesa's SolaraViz: SolaraViz steps one model live and draws its
agents, while a workshop needs whole runs (2016 to a horizon, several replications with the
same seeds) and then figures with intervals across those replications, which
``simulation/plots.py`` already draws from the results tables. The model's persons are numpy
arrays rather than Mesa agents on a grid, so there is no space for SolaraViz to show either.

Modules: ``workshop`` (levers -> scenario -> tables), ``texts`` (English and Dutch),
``areamap`` (the schematic map), ``app`` (the page), ``assets`` (the browser's JavaScript and
CSS stored locally, so the page works without internet), ``server`` (the command).
"""
