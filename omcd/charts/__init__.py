"""Website charts: Altair specs whose inputs are bound to sliders and computed in the browser.

Each module here is named after its model in :mod:`omcd.models` and registers itself in
:mod:`omcd.charts.registry` for the parity test.
"""
