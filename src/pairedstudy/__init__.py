"""pairedstudy: statistics for studies that measure the same subjects twice.

Build a :class:`PairedStudy` from raw pre/post data, then ask it for tests
(:meth:`PairedStudy.test`) and descriptive statistics (:meth:`PairedStudy.describe`). Every
analysis is about ``change = post - pre``.
"""

from __future__ import annotations

from . import (
    datasets,
    diagnostics,
    effect_sizes,
    forensics,
    frames,
    inference,
    plotting,
    power,
    replication,
    reports,
)
from .batch import BatchResult, test_batch
from .errors import (
    ConvergenceWarning,
    DegenerateDataError,
    DegenerateDataWarning,
    DuplicateTestError,
    InputTypeError,
    InputValueError,
    MissingDependencyError,
    PairedStudyError,
    PairedStudyWarning,
    PluginLoadWarning,
    SmallSampleWarning,
    UnknownKeyError,
    UnknownTestError,
)
from .forensics import debit, grim, grimmer
from .registry import (
    InvalidResultError,
    PluginError,
    RegisteredTest,
    RowNote,
    TestRows,
    available_tests,
    get_test,
    refresh_plugins,
    register_test,
    registered_tests,
)
from .results import (
    ConfidenceInterval,
    CrossTable,
    EffectSize,
    EffectSizeTable,
    PowerResult,
    TableTestResult,
    TestResult,
)
from .study import ArmDescription, Description, PairedStudy
from .summary import PairedSummary

__version__ = "0.1.0"

__all__ = [
    "ArmDescription",
    "BatchResult",
    "ConfidenceInterval",
    "ConvergenceWarning",
    "CrossTable",
    "DegenerateDataError",
    "DegenerateDataWarning",
    "Description",
    "DuplicateTestError",
    "EffectSize",
    "EffectSizeTable",
    "InputTypeError",
    "InputValueError",
    "InvalidResultError",
    "MissingDependencyError",
    "PairedStudy",
    "PairedStudyError",
    "PairedStudyWarning",
    "PairedSummary",
    "PluginError",
    "PluginLoadWarning",
    "PowerResult",
    "RegisteredTest",
    "RowNote",
    "SmallSampleWarning",
    "TableTestResult",
    "TestResult",
    "TestRows",
    "UnknownKeyError",
    "UnknownTestError",
    "__version__",
    "available_tests",
    "datasets",
    "debit",
    "diagnostics",
    "effect_sizes",
    "forensics",
    "frames",
    "get_test",
    "grim",
    "grimmer",
    "inference",
    "plotting",
    "power",
    "refresh_plugins",
    "register_test",
    "registered_tests",
    "replication",
    "reports",
    "test_batch",
]
