"""Exceptions and warnings raised by pairedstudy.

Every exception derives from :class:`PairedStudyError` and also from the built-in exception
that fits (``ValueError``, ``TypeError`` or ``KeyError``), so ``except ValueError`` keeps
working for callers who do not know this library. Every warning derives from
:class:`PairedStudyWarning`, so a user can silence or escalate all of them at once.
"""

from __future__ import annotations

__all__ = [
    "ConvergenceWarning",
    "DegenerateDataError",
    "DegenerateDataWarning",
    "DuplicateTestError",
    "InputTypeError",
    "InputValueError",
    "MissingDependencyError",
    "PairedStudyError",
    "PairedStudyWarning",
    "PluginLoadWarning",
    "SmallSampleWarning",
    "UnknownKeyError",
    "UnknownTestError",
]


class PairedStudyError(Exception):
    """Base class of every exception raised by pairedstudy."""


class InputValueError(PairedStudyError, ValueError):
    """An argument has the right type but a value that is not allowed."""


class InputTypeError(PairedStudyError, TypeError):
    """An argument has a type that is not allowed (a string where numbers belong, ...)."""


class DegenerateDataError(PairedStudyError, ValueError):
    """The data leave the requested statistic undefined (for example a constant change)."""


class UnknownTestError(PairedStudyError, KeyError):
    """No test is registered under the requested name."""

    def __str__(self) -> str:
        # KeyError.__str__ quotes its argument; show the message as written.
        return str(self.args[0]) if self.args else ""


class UnknownKeyError(PairedStudyError, KeyError):
    """A result table has no entry under the requested key (an effect-size kind, a plan row).

    The message names the key given and lists the keys the table holds.
    """

    def __str__(self) -> str:
        # KeyError.__str__ quotes its argument; show the message as written.
        return str(self.args[0]) if self.args else ""


class MissingDependencyError(PairedStudyError, ImportError):
    """An optional package that the call needs is not installed.

    The message names the package and the extra that installs it, e.g.
    ``pip install "pairedstudy[plot]"``. It is an ``ImportError`` (not a type or value
    error): the call was right, the environment lacks a package.
    """


class DuplicateTestError(PairedStudyError, ValueError):
    """A test is already registered under that name and ``replace=True`` was not given."""


class PairedStudyWarning(UserWarning):
    """Base class of every warning issued by pairedstudy."""


class DegenerateDataWarning(PairedStudyWarning):
    """The data are degenerate (all changes zero, ...) and the result says so."""


class SmallSampleWarning(PairedStudyWarning):
    """The sample is too small for the requested exact confidence level."""


class PluginLoadWarning(PairedStudyWarning):
    """A third-party test registered through an entry point could not be loaded."""


class ConvergenceWarning(PairedStudyWarning):
    """A Markov chain sample whose chains disagree (R-hat above 1.1): not yet representative."""
