"""Great Expectations runs over our frames, and the gate that stops bad data being published.

``great_expectations`` is imported lazily inside :func:`validate_frame`, never here.

>>> report = validate_frame("figures", frame, docs_dir=Path("out/data_docs"))
>>> report.raise_for_critical()   # DataQualityError naming expectations and rows
"""

from smartcity.quality.suites import DATASETS, SuiteError, load_suite
from smartcity.quality.validate import DataQualityError, Failure, ValidationReport, validate_frame

__all__ = [
    "DATASETS",
    "DataQualityError",
    "Failure",
    "SuiteError",
    "ValidationReport",
    "load_suite",
    "validate_frame",
]
