"""Built-in paired tests, each registered by name and computed on ``post - pre``.

Importing this package registers ``"t"``, ``"wilcoxon"`` and ``"sign"``.
"""

from __future__ import annotations

from .sign import sign_test
from .ttest import paired_t
from .wilcoxon import wilcoxon_test

__all__ = ["paired_t", "sign_test", "wilcoxon_test"]
