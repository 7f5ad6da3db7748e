"""Notebook calculators: ipywidgets controls driving the Python models (Binder, JupyterLab).

Each module here is named after its model in :mod:`omcd.models`. On the website these cells'
outputs are hidden (a widget without a kernel cannot compute); the website shows the browser
chart from :mod:`omcd.charts` instead.
"""
