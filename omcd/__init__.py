"""Open Models, Cloud Demand: the course's calculators.

Each calculator is three modules with the same name:

* ``omcd.models.<name>``  the math, as plain tested Python functions;
* ``omcd.charts.<name>``  the website chart, computed in the reader's browser by Vega;
* ``omcd.widgets.<name>`` the ipywidgets calculator for Binder or JupyterLab.
"""

__version__ = "0.1.0"
