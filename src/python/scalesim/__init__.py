"""scalesim in Python: the C++ library's workflows, options and schemas.

Every function calls the same library code as the `scalesim` binary; its
keyword arguments are the CLI's flags in snake_case (docs/cli.md: --seq-len
is seq_len) with the same defaults and checks, and every table has the
columns of the CLI's CSV output. Bad input raises scalesim.Error (a
ValueError) with the CLI's one-line message. See docs/python.md.

    PYTHONPATH=build/release/python python3 -c "import scalesim"
"""

from __future__ import annotations

import io as _io
import os as _os

from . import _scalesim as _core

Error = _core.Error
Law = _core.Law
__version__ = _core.__version__

__all__ = [
    "Error", "Law", "Architecture", "Result", "FitResult", "params", "flops",
    "memory", "hardware", "step", "serve", "plan", "compare", "synth",
    "loss",
    "optimal", "laws", "load_law", "hparams", "fit", "sweep", "presets",
]


def _frame(table):
    import pandas as pd

    return pd.DataFrame(table["data"], columns=table["columns"])


def _scalar(v):
    """A record cell as a Python value (int stays an exact int)."""
    if hasattr(v, "item"):
        v = v.item()
    return v


class Result:
    """Tables of one call: DataFrames by table name (``result["components"]``
    or ``result.components``), one-row records as dicts, and notes."""

    def __init__(self, raw, kind):
        self._kind = kind
        self.tables = {}
        self.records = {}
        for t in raw["tables"]:
            if t["record"]:
                self.records[t["name"]] = {
                    c: _scalar(t["data"][c][0]) for c in t["columns"]}
            else:
                self.tables[t["name"]] = _frame(t)
        self.notes = list(raw["notes"])

    def __getitem__(self, name):
        if name in self.tables:
            return self.tables[name]
        return self.records[name]

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(
                f"{self._kind} result has no table '{name}' (tables: "
                f"{', '.join(list(self.tables) + list(self.records))})"
            ) from None

    @property
    def table(self):
        """The first table (the main one)."""
        return next(iter(self.tables.values()))

    def to_dict(self):
        return {
            "tables": {k: v.to_dict("list") for k, v in self.tables.items()},
            "records": dict(self.records),
            "notes": list(self.notes),
        }

    def __repr__(self):
        parts = [f"{k}: {len(v)} rows x {len(v.columns)} columns"
                 for k, v in self.tables.items()]
        parts += [f"{k}: record of {len(v)} fields"
                  for k, v in self.records.items()]
        return f"<scalesim {self._kind} result: " + "; ".join(parts) + ">"


class Architecture:
    """A decoder-only transformer, validated and exactly countable.

    Architecture.preset("llama3-8b"), Architecture.from_hf_config(path or
    dict), Architecture(layers=12, d_model=768, heads=12, vocab=50257, ...)
    (the CLI's architecture flags; preset=/hf_config=/arch= as bases)."""

    def __init__(self, _core_arch=None, **kwargs):
        self._a = _core_arch if _core_arch is not None else \
            _core._Architecture.from_keywords(**kwargs)

    @classmethod
    def preset(cls, name, **overrides):
        return cls(_core._Architecture.from_keywords(preset=name, **overrides))

    @classmethod
    def from_hf_config(cls, config, **overrides):
        """A Hugging Face config.json: a path, or its dict."""
        if isinstance(config, dict):
            import json

            if overrides:
                raise Error("overrides apply to a config file path, not a dict")
            return cls(_core._Architecture.from_hf_text(
                json.dumps(config), "config dict"))
        return cls(_core._Architecture.from_keywords(
            hf_config=_os.fspath(config), **overrides))

    @classmethod
    def from_json(cls, path, **overrides):
        """A scalesim architecture JSON file."""
        return cls(_core._Architecture.from_keywords(
            arch=_os.fspath(path), **overrides))

    @property
    def name(self):
        return self._a.name

    @property
    def notes(self):
        return list(self._a.notes)

    def to_dict(self):
        return self._a.to_dict()

    def total_params(self):
        """The exact parameter count (params(arch).summary["total_params"])
        without building tables: about a microsecond."""
        return self._a.total_params()

    def __repr__(self):
        d = self.to_dict()
        keys = ["n_layers", "d_model", "n_heads", "n_kv_heads", "d_ff",
                "vocab_size", "mlp", "norm", "position"]
        body = ", ".join(f"{k}={d[k]!r}" for k in keys)
        return f"Architecture({d['name']!r}, {body})"


def _arch(arch):
    if isinstance(arch, Architecture):
        return arch._a
    return arch  # None or a preset name


def presets():
    """The built-in presets (scalesim params --list) as a DataFrame."""
    import pandas as pd

    return pd.DataFrame(_core.presets())


def params(arch=None, **kwargs):
    """Exact parameter counts by component (scalesim params): tables
    ``components`` and record ``summary`` (Python ints)."""
    return Result(_core.params(_arch(arch), **kwargs), "params")


def flops(arch=None, **kwargs):
    """Training and inference FLOPs (scalesim flops)."""
    return Result(_core.flops(_arch(arch), **kwargs), "flops")


def memory(arch=None, inference=False, which_devices=False, **kwargs):
    """Training (or, with inference=True, serving) memory per device."""
    return Result(_core.memory(_arch(arch), inference, which_devices,
                               **kwargs), "memory")


class Outcome(Result):
    """A workflow's result (step, serve, plan, compare, synth): its tables
    and records as the CLI prints them, ``exit_code`` (the CLI's: 0, or 1
    for a numerical outcome such as no layout that fits) and ``ok``."""

    def __init__(self, raw, kind):
        super().__init__(raw, kind)
        self.exit_code = raw["exit_code"]

    @property
    def ok(self):
        return self.exit_code == 0

    def to_dict(self):
        d = super().to_dict()
        d["exit_code"] = self.exit_code
        return d

    def __repr__(self):
        status = "ok" if self.ok else f"exit code {self.exit_code}"
        return super().__repr__()[:-1] + f"; {status}>"


def hardware(**kwargs):
    """The device catalog (scalesim hardware) as a DataFrame: the built-in
    one, or catalog= a catalog JSON file; notes in ``.attrs["notes"]``."""
    r = Outcome(_core.hardware(**kwargs), "hardware")
    df = r.table
    df.attrs["notes"] = r.notes
    return df


def step(arch=None, **kwargs):
    """One optimizer step for a layout (scalesim step): record ``step``,
    table ``stages``; with search=True the fastest layouts that fit
    (table ``layouts``)."""
    return Outcome(_core.step(_arch(arch), **kwargs), "step")


def serve(arch=None, **kwargs):
    """Serving speed, latency, capacity and cost (scalesim serve): table
    ``serve`` (a record for one scenario); with search=True the cheapest
    layouts meeting target_tpot_ms / target_ttft_ms (``serve_search``)."""
    return Outcome(_core.serve(_arch(arch), **kwargs), "serve")


def plan(arch=None, **kwargs):
    """One budget (flops=, days= or budget_usd=) to a run (scalesim plan):
    records budget, model, optimizer, layout, time, cost, loss (and
    serving); tables allocation, stages, layouts. arch= fixes the model;
    law= takes a name, a law file or a Law (a fit's)."""
    return Outcome(_core.plan(_arch(arch), **_laws_kw(kwargs)), "plan")


def compare(name="chinchilla-gopher"):
    """A published comparison recomputed (scalesim compare NAME)."""
    return Outcome(_core.compare(name), "compare")


def synth(out=None, **kwargs):
    """A synthetic dataset of runs (scalesim synth): table ``runs`` (the
    CSV's columns N, D, [U,] C, loss), record ``synthetic``; out= also
    writes the CSV file (atomically) as the CLI's --out."""
    if out is not None:
        kwargs["out"] = out
    raw = _core.synth(**kwargs)
    r = Outcome(raw, "synth")
    import pandas as pd

    r.tables["runs"] = pd.read_csv(_io.StringIO(raw["dataset_csv"]),
                                   float_precision="round_trip")
    return r


def _laws_kw(kwargs):
    law = kwargs.get("law")
    if isinstance(law, FitResult):
        kwargs["law"] = law.law
    elif isinstance(law, (list, tuple)):
        kwargs["law"] = [x.law if isinstance(x, FitResult) else x for x in law]
    return kwargs


def loss(arch=None, **kwargs):
    """Predicted loss of N (params=) or an architecture on D (tokens=)."""
    return Result(_core.loss(_arch(arch), **_laws_kw(kwargs)), "loss")


def optimal(**kwargs):
    """Compute-optimal / inference-optimal N and D (scalesim optimal)."""
    raw = _core.optimal(**_laws_kw(kwargs))
    r = Result(raw, "optimal")
    r.failed = raw["failed"]
    return r


def laws(**kwargs):
    """The loss laws (scalesim laws) as a DataFrame."""
    return Result(_core.laws(**_laws_kw(kwargs)), "laws").tables["laws"]


def load_law(name_or_path):
    """A built-in law by name or a law JSON file, as a Law."""
    return _core.load_law(name_or_path)


def hparams(arch=None, **kwargs):
    """Batch size, learning rate and critical batch (scalesim hparams)."""
    return Result(_core.hparams(_arch(arch), **kwargs), "hparams")


class FitResult(Result):
    """A fit (scalesim fit): ``constants`` (with intervals), ``fit``
    (the summary record), ``bootstrap_samples``, ``residuals`` and ``law``
    (a Law usable as law= in loss, optimal and the sweeps)."""

    def __init__(self, raw):
        super().__init__(raw, "fit")
        self.status = raw["status"]
        self.settled = raw["settled"]
        self.law = raw["law"]
        self.no_law_reason = raw["no_law_reason"]
        text = raw["residuals_csv"]
        self._residuals_csv = text
        if text is not None:
            import pandas as pd

            self.tables["residuals"] = pd.read_csv(
                _io.StringIO(text), float_precision="round_trip")

    @property
    def values(self):
        """{constant: value} of the fitted form."""
        c = self.tables.get("constants")
        if c is None:
            return {}
        return {n: float(v) for n, v in zip(c["constant"], c["value"])}

    def __repr__(self):
        vals = ", ".join(f"{k}={v:.6g}" for k, v in self.values.items())
        return f"<scalesim fit: {self.status}; {vals}>"


def _dataset_csv(data):
    """A DataFrame (or dict of arrays) as CSV text with exact numbers."""
    import pandas as pd

    frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(data)
    # repr floats (shortest round trip): the same doubles the file holds.
    return frame.to_csv(index=False, float_format=None)


def fit(data, form="chinchilla", data_name=None, **kwargs):
    """Fit a law to runs: data= a CSV path or a DataFrame / dict of NumPy
    arrays (columns N, D or C, loss; names as params_col= ...). The GIL is
    released while it runs."""
    if isinstance(data, (str, _os.PathLike)):
        raw = _core.fit(form=form, data=_os.fspath(data),
                        **({"data_name": data_name} if data_name else {}),
                        **kwargs)
    else:
        raw = _core.fit(form=form, csv_text=_dataset_csv(data),
                        data_name=data_name or "DataFrame", **kwargs)
    return FitResult(raw)


_SWEEPS = {
    "arch": lambda arch=None, **kw: _core.sweep_arch(_arch(arch), **kw),
    "overtraining": _core.sweep_overtraining,
    "budget": _core.sweep_budget,
    "isoflop": _core.sweep_isoflop,
    "loss-grid": _core.sweep_loss_grid,
    "loss_grid": _core.sweep_loss_grid,
}


def sweep(kind, **kwargs):
    """A sweep (scalesim sweep KIND) as a DataFrame built column-wise from
    NumPy arrays; notes in ``df.attrs["notes"]``."""
    if kind not in _SWEEPS:
        raise Error(f"unknown sweep kind '{kind}' (valid: arch, "
                    "overtraining, budget, isoflop, loss-grid)")
    raw = _SWEEPS[kind](**_laws_kw(kwargs))
    df = _frame(raw["tables"][0])
    df.attrs["notes"] = list(raw["notes"])
    df.attrs["failed_rows"] = raw["failed_rows"]
    return df
