"""Validate a dataset's frame with its expectation suite, running Great Expectations 1.x directly.

``great_expectations`` is imported inside :func:`validate_frame` only (it takes ~4 s and logs
hundreds of INFO lines), after its logger is set to WARNING.  Each call builds an ephemeral
context: pandas data source -> dataframe asset -> whole-frame batch definition -> validation
definition -> checkpoint, with a Data Docs site of our own (``smartcity_site``) when
``docs_dir`` is given.

Empty is not broken: a suite whose ``meta.may_be_empty`` is true (every dataset's: a source slice,
such as a backfill day, may hold no page about the programme, name no cities, announce no event)
passes an empty frame with its columns -- its row-count expectation is not run on it, and the
report says ``empty_allowed`` -- so an empty table is published with its dictionary.  What a
broken stage does, a drop to zero or by more than a set share from the last published version,
is compared with the portal at publish, before any write (``smartcity.quality.rowcount``).

Gating: :attr:`ValidationReport.success` is False when any *critical* expectation failed;
:meth:`ValidationReport.raise_for_critical` then raises :class:`DataQualityError` naming the
expectations and the offending rows.  Warning-level failures are reported, not raised.

List-typed fields (``Total.sources``, ``Total.values_seen``, ``Check.sources``) travel in
frames as JSON text; list cells are converted to JSON text before validation, so either works.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from smartcity.quality.derive import add_derived, lists_to_json
from smartcity.quality.suites import load_suite, run_parameters

log = logging.getLogger(__name__)

DOCS_SITE = "smartcity_site"
MAX_EXAMPLES = 10


class DataQualityError(Exception):
    """A critical expectation failed; ``report`` holds the whole :class:`ValidationReport`."""

    def __init__(self, report: ValidationReport):
        self.report = report
        super().__init__(report.describe_critical())


@dataclass(slots=True)
class Failure:
    """One failed expectation: what it expected, of which column, and up to 10 offending rows."""

    expectation: str
    severity: str
    column: str | None
    kwargs: dict
    unexpected_count: int | None = None
    examples: list[Any] = field(default_factory=list)  # {key: ..., column: value} dicts or values
    observed: Any = None
    error: str | None = None

    def describe(self) -> str:
        """One line: ``expect_x(column=..., ...) failed: 3 rows, e.g. [...]``."""
        args = [f"{k}={v!r}" for k, v in self.kwargs.items()]
        head = f"{self.expectation}({', '.join(args)})"
        if self.error:
            return f"{head} could not run: {self.error}"
        parts = []
        if self.unexpected_count is not None:
            parts.append(f"{self.unexpected_count} rows")
        if self.observed is not None and not self.examples:
            parts.append(f"observed {self.observed!r}")
        if self.examples:
            parts.append(f"e.g. {self.examples!r}")
        return f"{head} failed: " + ", ".join(parts)


@dataclass(slots=True)
class ValidationReport:
    """The outcome of validating one dataset's frame."""

    dataset: str
    success: bool
    row_count: int
    evaluated: int
    critical_failures: list[Failure] = field(default_factory=list)
    warnings: list[Failure] = field(default_factory=list)
    docs_index: Path | None = None
    empty_allowed: bool = False  # an empty frame passed because its suite says it may be empty

    def as_dict(self) -> dict:
        """A JSON-safe summary with counts and the failures."""
        return {
            "dataset": self.dataset,
            "success": self.success,
            "row_count": self.row_count,
            "expectations_evaluated": self.evaluated,
            "critical_failed": len(self.critical_failures),
            "warnings_failed": len(self.warnings),
            "critical_failures": [asdict(f) for f in self.critical_failures],
            "warnings": [asdict(f) for f in self.warnings],
            "docs_index": str(self.docs_index) if self.docs_index else None,
            "empty_allowed": self.empty_allowed,
        }

    def describe_critical(self) -> str:
        lines = [f"{self.dataset}: {len(self.critical_failures)} critical expectation(s) failed"]
        lines += [f"  - {f.describe()}" for f in self.critical_failures]
        return "\n".join(lines)

    def raise_for_critical(self) -> None:
        """Raise :class:`DataQualityError` if a critical expectation failed; else return None."""
        if not self.success:
            raise DataQualityError(self)


def _json_safe(value: Any) -> Any:
    """``value`` with numpy scalars, timestamps, NaN and sets made JSON-friendly."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_json_safe(v) for v in value]
    if isinstance(value, pd.Timestamp | dt.datetime | dt.date):
        return None if pd.isna(value) else value.isoformat()
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _column_of(kwargs: dict) -> str | None:
    for key in ("column", "column_A", "column_list", "column_set"):
        if key in kwargs:
            val = kwargs[key]
            if key == "column_A":
                return f"{val},{kwargs.get('column_B')}"
            if isinstance(val, list) and key in ("column_list", "column_set"):
                return ",".join(map(str, val)) if len(val) <= 4 else None
            return str(val)
    return None


def _failure(result: Any, severity: str) -> Failure:
    config = result.expectation_config
    kwargs = {k: v for k, v in config.kwargs.items() if k not in ("batch_id",)}
    res = result.result or {}
    examples = res.get("partial_unexpected_index_list") or res.get("partial_unexpected_list") or []
    error = None
    if result.exception_info:
        infos = result.exception_info
        # GX keys exception info by metric when several metrics were computed
        first = next(iter(infos.values())) if "raised_exception" not in infos else infos
        if isinstance(first, dict) and first.get("raised_exception"):
            error = str(first.get("exception_message") or "exception")
    return Failure(
        expectation=config.type,
        severity=severity,
        column=_column_of(kwargs),
        kwargs=_json_safe(kwargs),
        unexpected_count=res.get("unexpected_count"),
        examples=_json_safe(list(examples)[:MAX_EXAMPLES]),
        observed=_json_safe(res.get("observed_value")),
        error=error,
    )


ROW_COUNT_TYPES = frozenset({"expect_table_row_count_to_be_between", "expect_table_row_count_to_equal"})


def may_be_empty(suite: dict) -> bool:
    """Whether the suite's dataset may legitimately have no rows (``meta.may_be_empty``)."""
    return bool((suite.get("meta") or {}).get("may_be_empty"))


def prepare_frame(dataset: str, frame: pd.DataFrame, suite: dict) -> pd.DataFrame:
    """The frame GX sees: list cells as JSON text plus the suite's derived columns."""
    del dataset  # the suite says everything; kept for symmetry with validate_frame
    return add_derived(lists_to_json(frame), suite.get("meta", {}).get("derived_columns", []))


def validate_frame(dataset: str, frame: pd.DataFrame, *, docs_dir: Path | None = None,
                   now: dt.datetime | None = None, suites_directory: Path | None = None) -> ValidationReport:
    """Validate ``frame`` with ``expectations/<dataset>.json``; return a :class:`ValidationReport`.

    ``docs_dir``: build the Data Docs site there (``index.html``); None builds none.
    ``now``: the instant the "not in the future" bounds are computed from (default: now).
    Raises :class:`~smartcity.quality.suites.SuiteError` for a missing or malformed suite.
    """
    suite_dict = load_suite(dataset, suites_directory)
    prepared = prepare_frame(dataset, frame, suite_dict)
    key = suite_dict.get("meta", {}).get("key")

    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    # one GX module pins its own logger to INFO (a line per ephemeral context): quiet it too
    logging.getLogger("great_expectations.data_context.types.base").setLevel(logging.WARNING)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    empty_allowed = frame.empty and may_be_empty(suite_dict)
    expectations = [
        {**exp, "severity": exp["meta"]["severity"]} for exp in suite_dict["expectations"]
        if not (empty_allowed and exp["type"] in ROW_COUNT_TYPES)
    ]
    if empty_allowed:
        log.warning("%s is empty: allowed by its suite (meta.may_be_empty); published as an empty table",
                    dataset)
    suite = context.suites.add(gx.ExpectationSuite(
        name=suite_dict["name"], expectations=expectations, meta=suite_dict.get("meta", {})))
    asset = context.data_sources.add_pandas("smartcity").add_dataframe_asset(name=dataset)
    batch = asset.add_batch_definition_whole_dataframe(f"{dataset}_frame")
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"{dataset}_validation", data=batch, suite=suite))
    actions = []
    if docs_dir is not None:
        docs_dir = Path(docs_dir).resolve()
        docs_dir.mkdir(parents=True, exist_ok=True)
        context.add_data_docs_site(site_name=DOCS_SITE, site_config={
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        })
        actions.append(gx.checkpoint.UpdateDataDocsAction(name="data_docs", site_names=[DOCS_SITE]))
    result_format: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": MAX_EXAMPLES}
    if key and key in prepared.columns:
        result_format["unexpected_index_column_names"] = [key]
    checkpoint = context.checkpoints.add(gx.Checkpoint(
        name=f"{dataset}_checkpoint", validation_definitions=[definition], actions=actions,
        result_format=result_format))
    outcome = checkpoint.run(batch_parameters={"dataframe": prepared},
                             expectation_parameters=run_parameters(now))

    critical: list[Failure] = []
    warnings: list[Failure] = []
    evaluated = 0
    for run in outcome.run_results.values():
        for result in run.results:
            evaluated += 1
            if result.success:
                continue
            severity = (result.expectation_config.meta or {}).get("severity", "critical")
            failure = _failure(result, severity)
            (warnings if severity == "warning" else critical).append(failure)
    docs_index = None
    if docs_dir is not None and (docs_dir / "index.html").exists():
        docs_index = docs_dir / "index.html"
    report = ValidationReport(dataset=dataset, success=not critical, row_count=len(frame),
                              evaluated=evaluated, critical_failures=critical, warnings=warnings,
                              docs_index=docs_index, empty_allowed=empty_allowed)
    log.info("validated %s: %d rows, %d expectations, %d critical and %d warning failures",
             dataset, len(frame), evaluated, len(critical), len(warnings))
    return report
