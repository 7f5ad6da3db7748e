"""Every public function of the models, not only the entry points, refuses bad input clearly.

The notebooks and charts call helper functions (``monthly_rate``, ``tokens_demanded``, ``payoff``,
``crunch_dominance_threshold``, ``rental_equivalent_cost_usd``...) as well as ``evaluate``. This
test discovers, with no list to keep up to date:

* every public function of every module of ``omcd/models/``;
* every public function with inputs of the evidence modules of ``omcd/charts/`` that a chapter
  notebook imports (the chart modules that are not calculators: their helpers are called in the
  notebooks directly).

It drives each function with bad and extreme inputs, chosen from each argument's annotation: for a
number NaN, infinities, 1e308, -1e308, a negative number, zero, the smallest float, a string, None,
True; for a mapping of calculator inputs (``evaluate(**inputs)``, ``outputs(inputs)``...) the
calculator's defaults with a value replaced by one of those, a key dropped or an unknown key added.
Each call must either

* raise a ``ValueError`` whose message names the argument (or the calculator input) it refuses, or
* return a finite result: no NaN, no infinity, no complex number anywhere in it (numbers, tuples,
  lists, mappings and dataclasses are searched; a text must not say "nan" or "inf").

A number argument given something that is not a finite number (NaN, an infinity, a string, None
where None is not allowed) must be refused: returning anything would accept a bad value silently.

Two parts: a sweep that gives each argument each bad value in turn, the others held at values the
function accepts (so that every argument meets NaN, inf, 1e308 and a negative number at least
once), and a ``hypothesis`` property that draws any mix of good and bad arguments.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import importlib
import inspect
import itertools
import json
import math
import numbers
import pkgutil
import re
import types
import typing
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import omcd.charts
import omcd.models
from omcd.charts import registry

ROOT = Path(__file__).resolve().parents[2]
#: Numbers that a function must refuse or survive, for every number argument.
EXTREME_NUMBERS = (
    float("nan"),
    float("inf"),
    float("-inf"),
    1e308,
    -1e308,
    -1.0,
    0.0,
    5e-324,
    -5e-324,
    1e-300,
    2.5,
    1e6,
)
#: Values that are not finite numbers: a number argument must refuse each of them.
NOT_NUMBERS = (float("nan"), float("inf"), float("-inf"), "1", None, True)
#: Ordinary values, to find a call a function accepts and to mix with the bad ones.
TYPICAL_NUMBERS = (1.0, 0.5, 2.0, 10.0, 0.1, 100.0, 0.0, 3.0, 1000.0, -0.5, -1.0)
_NAN_WORD = re.compile(r"\b(nan|inf|infinity)\b", re.IGNORECASE)


# Discovery -------------------------------------------------------------------------------------


def _modules_imported_by_notebooks() -> set[str]:
    """Names of the ``omcd.charts`` modules that a chapter notebook imports."""
    found = set()
    for path in sorted((ROOT / "chapters").rglob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"])
            found |= set(re.findall(r"from omcd\.charts import (\w+)", source))
            found |= set(re.findall(r"from omcd\.charts\.(\w+) import", source))
    return found


def _evidence_modules() -> list[types.ModuleType]:
    """The chart modules notebooks import that are not calculators (their helpers are called
    directly by the notebooks)."""
    names = sorted(n for n in _modules_imported_by_notebooks() if registry.get(n) is None)
    return [importlib.import_module(f"omcd.charts.{n}") for n in names]


MODEL_MODULES = [
    importlib.import_module(f"omcd.models.{m.name}")
    for m in pkgutil.iter_modules(omcd.models.__path__)
    if not m.name.startswith("_")
]
MODULES = MODEL_MODULES + _evidence_modules()


def _public_functions(module: types.ModuleType) -> list[Callable]:
    return [
        f
        for name, f in inspect.getmembers(module, inspect.isfunction)
        if not name.startswith("_") and f.__module__ == module.__name__ and inspect.signature(f).parameters
    ]


FUNCTIONS = [(m, f) for m in MODULES for f in _public_functions(m)]
IDS = [f"{m.__name__.split('.')[-1]}.{f.__name__}" for m, f in FUNCTIONS]


def test_discovery_finds_the_helpers_the_issue_names():
    names = set(IDS)
    for expected in (
        "open_vs_closed.monthly_rate",
        "price_war.tokens_demanded",
        "release_race.payoff",
        "release_race.crunch_dominance_threshold",
        "china_ecosystem.rental_equivalent_cost_usd",
        "token_cost.compare",
        "gpu_cluster.evaluate",
        "ai_buildout.evaluate",
    ):
        assert expected in names, f"{expected} not discovered; found {sorted(names)}"


# What each argument is, from its annotation ----------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Arg:
    name: str
    #: "number", "text", "mapping" (calculator inputs), "kwargs" (**inputs), "numbers" (a list of
    #: numbers), "object" (a model's own result object, built, not driven) or "objects" (a list of them).
    kind: str
    optional: bool = False
    annotation: Any = None
    default: Any = inspect.Parameter.empty


_NUMBER_TYPES = (float, int)


def _is_number_type(t) -> bool:
    return t in _NUMBER_TYPES or (isinstance(t, type) and issubclass(t, numbers.Number))


def _describe(func: Callable) -> list[Arg]:
    hints = typing.get_type_hints(func)
    args = []
    for p in inspect.signature(func).parameters.values():
        ann = hints.get(p.name, inspect.Parameter.empty)
        if p.kind is inspect.Parameter.VAR_KEYWORD:
            args.append(Arg(p.name, "kwargs"))
            continue
        origin, params = typing.get_origin(ann), typing.get_args(ann)
        optional = False
        if origin in (typing.Union, types.UnionType):
            optional = type(None) in params
            rest = [t for t in params if t is not type(None)]
            ann = rest[0] if len(rest) == 1 else ann
            origin, params = typing.get_origin(ann), typing.get_args(ann)
        if ann is inspect.Parameter.empty:
            kind = "mapping" if p.name in ("inputs", "values", "x") else "number"
        elif _is_number_type(ann):
            kind = "number"
        elif ann is str:
            kind = "text"
        elif origin in (dict, collections.abc.Mapping) or ann in (dict, Mapping):
            kind = "mapping"
        elif origin in (list, tuple, collections.abc.Iterable, collections.abc.Sequence):
            kind = "numbers" if params and _is_number_type(params[0]) else "objects"
        elif dataclasses.is_dataclass(ann):
            kind = "object"
        else:
            raise AssertionError(f"{func.__qualname__}: no strategy for argument {p.name}: {ann!r}")
        args.append(Arg(p.name, kind, optional, ann, p.default))
    return args


def _calculator_defaults(module: types.ModuleType) -> dict[str, float]:
    calc = registry.get(module.__name__.split(".")[-1])
    assert calc is not None, f"{module.__name__} has no calculator to take inputs from"
    return dict(calc.defaults())


def _objects_in(obj, wanted: type):
    """Every instance of ``wanted`` inside a result (dataclass fields, tuples, lists)."""
    if isinstance(obj, wanted):
        yield obj
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            yield from _objects_in(getattr(obj, f.name), wanted)
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            yield from _objects_in(item, wanted)


def _built_object(module: types.ModuleType, wanted: type):
    """A model's own object (a result, one of its rows or cells), from ``evaluate`` at the defaults."""
    result = module.evaluate(**_calculator_defaults(module))
    found = next(_objects_in(result, wanted), None)
    assert found is not None, f"{module.__name__}: no {wanted.__name__} in evaluate's result"
    return found


def _text_candidates(module: types.ModuleType, arg: Arg) -> list[str]:
    """Strings a text argument may take: its default, the module's input names, short codes."""
    found = [] if arg.default is inspect.Parameter.empty else [arg.default]
    found += [p.name for p in getattr(module, "PARAMS", ())]
    found += [code for code, *_ in getattr(module, "CELLS", ())]
    return found + ["USD", "RMB", "label", ""]


# Calls that must be accepted, to hold the other arguments at --------------------------------------


def _good_values(module: types.ModuleType, arg: Arg) -> list[Any]:
    if arg.kind == "number":
        first = [] if arg.default in (inspect.Parameter.empty, None) else [arg.default]
        return first + list(TYPICAL_NUMBERS) + [None] * arg.optional
    if arg.kind == "text":
        return _text_candidates(module, arg)
    if arg.kind in ("mapping", "kwargs"):
        return [_calculator_defaults(module)]
    if arg.kind == "numbers":
        return [[0.5, 0.8], [1.0]]
    if arg.kind == "object":
        return [_built_object(module, arg.annotation)]
    return [[]]


def _call(func: Callable, args: list[Arg], values: list[Any]):
    positional, keywords = [], {}
    for arg, value in zip(args, values):
        if arg.kind == "kwargs":
            keywords.update(value)
        else:
            positional.append(value)
    return func(*positional, **keywords)


def _accepted_call(module: types.ModuleType, func: Callable, args: list[Arg]) -> list[Any] | None:
    """Argument values the function accepts (searched among ordinary values), or None."""
    choices = [_good_values(module, a) for a in args]
    for values in itertools.islice(itertools.product(*choices), 3000):
        try:
            _call(func, args, list(values))
        except ValueError:
            continue
        return list(values)
    return None


# The checks ---------------------------------------------------------------------------------------


def _non_finite(obj, path: str = "result") -> list[str]:
    """Where a result holds NaN, an infinity or a complex number (or a text that says nan/inf)."""
    import pandas as pd

    if isinstance(obj, bool) or obj is None:
        return []
    if isinstance(obj, complex):
        return [f"{path} = {obj!r} (complex)"]
    if isinstance(obj, numbers.Number):
        return [] if math.isfinite(float(obj)) else [f"{path} = {obj!r}"]
    if isinstance(obj, str):
        return [f"{path} says {obj!r}"] if _NAN_WORD.search(obj) else []
    if isinstance(obj, pd.DataFrame):
        # A table of data: an empty cell (NaN) is a missing figure, but never an infinity.
        numeric = obj.select_dtypes("number")
        return [f"{path} holds an infinity"] if numeric.isin([math.inf, -math.inf]).any().any() else []
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return [p for f in dataclasses.fields(obj) for p in _non_finite(getattr(obj, f.name), f"{path}.{f.name}")]
    if isinstance(obj, Mapping):
        return [p for k, v in obj.items() for p in _non_finite(v, f"{path}[{k!r}]")]
    if isinstance(obj, (list, tuple)):
        return [p for i, v in enumerate(obj) for p in _non_finite(v, f"{path}[{i}]")]
    return []  # a chart or another object: nothing numeric to check


def _not_a_finite_number(value, optional: bool) -> bool:
    if value is None:
        return not optional
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return True
    return not math.isfinite(value)


def _must_refuse(args: list[Arg], values: list[Any]) -> list[str]:
    """Arguments (or calculator inputs) holding something that is not a finite number."""
    bad = []
    for arg, value in zip(args, values):
        if arg.kind == "number" and _not_a_finite_number(value, arg.optional):
            bad.append(arg.name)
        elif arg.kind in ("mapping", "kwargs"):
            bad += [k for k, v in value.items() if _not_a_finite_number(v, False)]
        elif arg.kind == "numbers":
            bad += [arg.name] if any(_not_a_finite_number(v, False) for v in value) else []
    return bad


def _names(module: types.ModuleType, args: list[Arg], values: list[Any]) -> set[str]:
    """Names an error may give: the arguments, the keys passed in a mapping, the model's inputs."""
    names = {a.name for a in args if a.kind != "kwargs"}
    for arg, value in zip(args, values):
        if arg.kind in ("mapping", "kwargs"):
            names |= set(value)
    return names | {p.name for p in getattr(module, "PARAMS", ())}


def check_call(module: types.ModuleType, func: Callable, args: list[Arg], values: list[Any]) -> str | None:
    """None if the call behaves (a clear refusal or a finite result), else what went wrong."""
    shown = ", ".join(f"{a.name}={v!r}" for a, v in zip(args, values))
    label = f"{module.__name__.split('.')[-1]}.{func.__name__}({shown})"
    try:
        result = _call(func, args, values)
    except ValueError as error:
        named = [n for n in _names(module, args, values) if n and re.search(rf"\b{re.escape(n)}\b", str(error))]
        return None if named else f"{label}: ValueError names no argument: {error}"
    except Exception as error:  # noqa: BLE001 - any other error is the defect this test looks for
        return f"{label}: {type(error).__name__} instead of a ValueError naming the argument: {error}"
    refused = _must_refuse(args, values)
    if refused:
        return f"{label}: accepted a value that is not a finite number for {refused} (returned {result!r:.120})"
    problems = _non_finite(result)
    return f"{label}: returned {'; '.join(problems[:3])}" if problems else None


# 1. A sweep: each argument meets each bad value, the others held at accepted values ---------------


def _bad_values(module: types.ModuleType, arg: Arg, good: Any) -> list[Any]:
    if arg.kind == "number":
        return list(EXTREME_NUMBERS) + [v for v in NOT_NUMBERS if not isinstance(v, float)]
    if arg.kind == "text":
        return ["", "no such thing", "1999-01", 3.0, None]
    if arg.kind in ("mapping", "kwargs"):
        out = []
        for key in good:
            out += [{**good, key: v} for v in (*EXTREME_NUMBERS, "1", None)]
        first = next(iter(good))
        out.append({k: v for k, v in good.items() if k != first})  # a key missing
        out.append({**good, "no_such_input": 1.0})  # an unknown key
        return out
    if arg.kind == "numbers":
        return [[v] for v in (*EXTREME_NUMBERS, None)] + [[]]
    return []  # a result object: built by the model, not driven


@pytest.mark.parametrize("module, func", FUNCTIONS, ids=IDS)
def test_each_argument_meets_each_bad_value(module, func):
    args = _describe(func)
    good = _accepted_call(module, func, args)
    assert good is not None, (
        f"{func.__qualname__}: no call with ordinary values is accepted; "
        "give the test a value it takes (a default, or a name it can find)"
    )
    problems = []
    for i, arg in enumerate(args):
        for bad in _bad_values(module, arg, good[i]):
            problem = check_call(module, func, args, good[:i] + [bad] + good[i + 1 :])
            if problem:
                problems.append(problem)
    assert not problems, f"{len(problems)} bad call(s):\n" + "\n".join(problems[:12])


# 2. A property: any mix of good and bad arguments ----------------------------------------------------


def _strategy(module: types.ModuleType, arg: Arg) -> st.SearchStrategy:
    number = st.one_of(
        st.sampled_from(TYPICAL_NUMBERS),
        st.sampled_from(EXTREME_NUMBERS),
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(-(10**9), 10**9),
        st.sampled_from(NOT_NUMBERS),
    )
    if arg.kind == "number":
        return number
    if arg.kind == "text":
        return st.one_of(st.sampled_from(_text_candidates(module, arg)), st.text(max_size=12), number)
    if arg.kind in ("mapping", "kwargs"):
        good = _calculator_defaults(module)
        keys = sorted(good)
        return st.one_of(
            # Inputs inside their ranges (the function must return a finite result) ...
            st.fixed_dictionaries(
                {
                    p.name: st.floats(p.minimum, p.maximum).map(lambda v, p=p: float(round(v)) if p.integer else v)
                    for p in module.PARAMS
                }
            ),
            # ... or the defaults with some values replaced by anything.
            st.dictionaries(st.sampled_from(keys), number, max_size=3).map(lambda bad: {**good, **bad}),
        )
    if arg.kind == "numbers":
        return st.lists(st.one_of(st.floats(0, 1), number), max_size=4)
    return st.just(_good_values(module, arg)[0])


@pytest.mark.parametrize("module, func", FUNCTIONS, ids=IDS)
def test_any_mix_of_arguments_is_refused_clearly_or_gives_a_finite_result(module, func):
    args = _describe(func)
    strategies = st.tuples(*(_strategy(module, a) for a in args))

    @settings(
        max_examples=120,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(strategies)
    def run(values):
        problem = check_call(module, func, args, list(values))
        assert problem is None, problem

    run()
