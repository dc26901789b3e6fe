"""The consistency report of a table: every printed figure against the others and integer data."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ..errors import InputValueError
from ..results import CheckItem, ConsistencyReport
from .enumeration import TableConstraints, sq_bounds
from .figures import MAX_SUMS, Reported, abs_t_interval, change_interval, interval, sum_count

if TYPE_CHECKING:
    from ..summary import PairedSummary

__all__ = ["CheckItem", "ConsistencyReport", "check_summary"]


def _too_many(count: int) -> str:
    return (
        f"not checked: {count} candidate sums exceed MAX_SUMS = {MAX_SUMS} (with this many, "
        "nearly any SD is possible)"
    )


def _t_interval_from_moments(summary: PairedSummary, diff_sd: Reported) -> tuple[float, float]:
    """|t| over the rounding box of the mean and the (printed) SD of the change."""
    m_low, m_high = change_interval(
        summary.pre_mean,
        summary.post_mean,
        summary.diff_mean,
        summary.diff_order,
        summary.rounding,
    )
    m_abs_low = 0.0 if m_low <= 0 <= m_high else min(abs(m_low), abs(m_high))
    m_abs_high = max(abs(m_low), abs(m_high))
    sd_low, sd_high = interval(diff_sd, summary.rounding)
    root_n = math.sqrt(summary.n)
    high = m_abs_high * root_n / sd_low if sd_low > 0 else math.inf
    low = m_abs_low * root_n / sd_high if sd_high > 0 else 0.0
    return low, high


def check_summary(summary: PairedSummary) -> ConsistencyReport:
    """Check every reported figure of a table against the others and against integer data.

    Parameters
    ----------
    summary : PairedSummary
        The table.

    Returns
    -------
    ConsistencyReport
        One item per check: GRIM for each mean (and the mean difference), GRIMMER for
        each SD, the mean difference against the difference of the means, the SD
        triangle (``|s_pre - s_post| <= s_change <= s_pre + s_post``, i.e. ``|r| <= 1``),
        means inside the printed ranges and SDs below the largest the ranges allow,
        and reported t, p and r against what the other figures imply. Each failure
        says why; ``report.verdict`` is one line.

    Examples
    --------
    >>> import pairedstudy as ps
    >>> from pairedstudy.forensics import check_summary
    >>> check_summary(ps.datasets.oxytocin_table3()).consistent
    True
    """
    from scipy import special

    table = TableConstraints.of(summary)
    items: list[CheckItem] = []
    n, k, rounding = summary.n, summary.items, summary.rounding

    def add(figure: str, check: str, ok: bool | None, reason: str) -> None:
        verdict = "not checked" if ok is None else ("consistent" if ok else "inconsistent")
        items.append(CheckItem(figure=figure, check=check, verdict=verdict, reason=reason))

    arms: dict[str, tuple[Reported, Reported | None]] = {
        "pre": (summary.pre_mean, summary.pre_sd),
        "post": (summary.post_mean, summary.post_sd),
    }
    if summary.diff_mean is not None:
        arms["difference"] = (summary.diff_mean, summary.diff_sd)
    for arm, (mean, sd) in arms.items():
        sums = table.arm_sums(mean)
        count = sum_count(sums)
        add(
            f"{arm} mean {mean}",
            "GRIM",
            count > 0,
            f"{count} integer sum(s) over n = {n}"
            + (f" x {k} items" if k > 1 else "")
            + (" give this mean" if count else f" give a mean rounding to {mean}"),
        )
        if sd is not None and not count:
            add(f"{arm} SD {sd}", "GRIMMER", None, "not checked: the mean fails GRIM")
        elif sd is not None:
            ok = table.grimmer(sd, sums)
            add(
                f"{arm} SD {sd}",
                "GRIMMER",
                ok,
                _too_many(count)
                if ok is None
                else "some integer sum of squares gives this SD with the mean"
                if ok
                else "no integer data with this mean have an SD rounding to it",
            )
    pre_sums, post_sums = table.arm_sums(summary.pre_mean), table.arm_sums(summary.post_mean)
    both = sum_count(pre_sums) > 0 and sum_count(post_sums) > 0
    # post sum - pre sum over every pair of sums: one run of consecutive integers
    differences = range(post_sums.start - (pre_sums.stop - 1), post_sums.stop - pre_sums.start)
    if table.sign < 0:
        differences = range(-(differences.stop - 1), -differences.start + 1)
    if not both:
        differences = range(0)
    if summary.diff_mean is None and summary.diff_sd is not None:
        checked = table.grimmer(summary.diff_sd, differences) if both else None
        add(
            f"difference SD {summary.diff_sd}",
            "GRIMMER",
            checked,
            "not checked: the means fail GRIM"
            if not both
            else _too_many(sum_count(differences))
            if checked is None
            else (
                "some integer changes with the means' difference give this SD"
                if checked
                else "no integer changes whose mean is the difference of the means "
                "have an SD rounding to it"
            ),
        )
    if summary.diff_mean is not None:
        allowed = table.arm_sums(summary.diff_mean)  # differences whose mean rounds to it
        ok = max(allowed.start, differences.start) < min(allowed.stop, differences.stop)
        add(
            f"difference {summary.diff_mean}",
            "difference of means",
            ok,
            f"post mean - pre mean can round to it ({summary.diff_order})"
            if ok
            else f"no means rounding to {summary.pre_mean} and {summary.post_mean} differ by "
            f"a value rounding to {summary.diff_mean} ({summary.diff_order})",
        )
    try:
        bounds = summary.correlation()
    except InputValueError:
        bounds = None
    if bounds is not None and bounds.source != "reported r":
        figure = {
            "SD of change": f"SD of change {summary.diff_sd}",
            "t": f"t {summary.t}",
            "p": f"p {summary.p}",
        }[bounds.source]
        add(
            figure,
            "SD triangle (|r| <= 1)",
            bounds.possible,
            f"implied r in [{bounds.low:.4f}, {bounds.high:.4f}]"
            if bounds.possible
            else "|s_pre - s_post| <= s_change <= s_pre + s_post fails for every value "
            "within rounding",
        )
    for arm, mean, arm_sd, span in (
        ("pre", summary.pre_mean, summary.pre_sd, summary.pre_range),
        ("post", summary.post_mean, summary.post_sd, summary.post_range),
    ):
        if span is None:
            continue
        lo, hi = span
        m_low, m_high = interval(mean, rounding)
        inside = m_high >= lo and m_low <= hi
        add(f"{arm} mean {mean}", "inside range", inside, f"range {lo}-{hi}")
        largest = 0.0
        count = sum_count(table.arm_sums(mean))
        if count > MAX_SUMS:
            add(f"{arm} SD {arm_sd}", "largest SD on the range", None, _too_many(count))
            continue
        for total in table.arm_sums(mean):
            bounds_q = sq_bounds(n, total, lo * k, hi * k)
            if bounds_q is not None:
                variance = (bounds_q[1] - total * total / n) / (k * k * (n - 1))
                largest = max(largest, math.sqrt(max(variance, 0.0)))
        sd_low = max(interval(arm_sd, rounding)[0], 0.0)
        add(
            f"{arm} SD {arm_sd}",
            "largest SD on the range",
            sd_low <= largest + 1e-12,
            f"integer scores on {lo}-{hi} with this mean have SD at most {largest:.4f}",
        )
    if summary.t is not None and summary.diff_sd is not None:
        implied = _t_interval_from_moments(summary, summary.diff_sd)
        lo_t, hi_t = abs_t_interval(summary.t, summary.p, n, rounding)
        ok = hi_t >= implied[0] and lo_t <= implied[1]
        reason = f"the mean and SD of the change imply |t| in [{implied[0]:.4f}, {implied[1]:.4f}]"
        if summary.diff_mean is not None and summary.t.value * summary.diff_mean.value < 0:
            ok = False
            reason = "the sign of t contradicts the sign of the printed difference"
        add(f"t {summary.t}", "t from mean and SD", ok, reason)
    if summary.p is not None and (summary.diff_sd is not None or summary.t is not None):
        # without t the SD of the change is printed (the condition above)
        t_box = (
            abs_t_interval(summary.t, summary.p, n, rounding)
            if summary.t is not None or summary.diff_sd is None
            else _t_interval_from_moments(summary, summary.diff_sd)
        )
        df = n - 1
        p_low = 2 * float(special.stdtr(df, -t_box[1]))
        p_high = 2 * float(special.stdtr(df, -t_box[0]))
        lo_p, hi_p = interval(summary.p, rounding)
        ok = hi_p >= p_low and lo_p <= p_high
        source = "t" if summary.t is not None else "mean and SD of the change"
        add(
            f"p {summary.p}",
            "p from t (two-sided)",
            ok,
            f"the {source} imply p in [{p_low:.3g}, {p_high:.3g}]",
        )
    if summary.r is not None and bounds is not None and bounds.source != "reported r":
        lo_r, hi_r = interval(summary.r, rounding)
        ok = hi_r >= bounds.low and lo_r <= bounds.high
        add(
            f"r {summary.r}",
            "r from the SDs",
            ok,
            f"the SDs imply r in [{bounds.low:.4f}, {bounds.high:.4f}]",
        )
    return ConsistencyReport(items=items)
