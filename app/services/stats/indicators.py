"""The national indicator formulas (Decision 766/QĐ-TTg; DOMAIN.md §6), written once.

Every ratio has a zero denominator → `None`, never a division error; values are raw ratios,
rounded only where they are displayed.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from app.models.catalogue import DAYS_PER_UNIT, ONLINE_LEVELS, Procedure, ProcessingUnit
from app.models.dossier import DossierStatus
from app.models.stats import PROCESSED_COLUMNS, STATUS_COLUMNS, TIME_COLUMNS, TIME_SCALE
from app.services.catalogue.procedures import catalogue_stats
from app.services.stats.queries import (
    EVERYTHING,
    GroupBy,
    Measures,
    Names,
    StatsQuery,
    Totals,
    compute,
)


def ratio(numerator: int | float, denominator: int | float) -> float | None:
    return numerator / denominator if denominator else None


# What each row needs summed (services.stats.Measures): a query sums nothing more.
ONLINE_RATIO = Measures(
    ("received", "submitted", "refused_at_intake"), by_channel=True, judged=False
)
ON_TIME = Measures(
    (
        "received",
        "finished",
        "finished_early",
        "finished_on_time",
        "finished_late",
        "became_late",
        "processed",
        *PROCESSED_COLUMNS.values(),
        *TIME_COLUMNS.values(),
    ),
    by_channel=False,
    judged=True,
)
STATUS = Measures(("submitted", *STATUS_COLUMNS.values()), by_channel=False, judged=False)


def online_ratio_row(totals: Totals) -> dict[str, Any]:
    """Indicator 3.3: dossiers received online ÷ all dossiers received (all channels), with
    the counter and postal shares; online submissions and those refused at intake apart."""
    online = totals.channel("online", "received")
    counter = totals.channel("counter", "received")
    postal = totals.channel("postal", "received")
    total = totals.total("received")
    return {
        "online": online,
        "counter": counter,
        "postal": postal,
        "total": total,
        "online_ratio": ratio(online, total),
        "counter_ratio": ratio(counter, total),
        "postal_ratio": ratio(postal, total),
        "submitted": totals.channel("online", "submitted"),
        "refused_at_intake": totals.channel("online", "refused_at_intake"),
    }


def on_time_row(totals: Totals) -> dict[str, Any]:
    """Indicator 2.1: (finished on time + in progress and not late at the period's end) ÷
    (carried over + received); indicator 2.2: average working days from receipt to processed,
    of the dossiers received in the period."""
    received = totals.total("received")
    on_time = totals.total("finished_on_time")
    in_progress = totals.in_progress
    to_process = totals.carried_over + received
    processed = totals.total("processed")
    return {
        "carried_over": totals.carried_over,
        "received": received,
        "to_process": to_process,
        "finished": totals.total("finished"),
        "early": totals.total("finished_early"),
        "on_time": on_time,
        "late": totals.total("finished_late"),
        "in_progress": in_progress,
        "overdue_in_progress": totals.late_in_progress,
        "on_time_ratio": ratio(on_time + in_progress - totals.late_in_progress, to_process),
        "processed": processed,
        "avg_processing_days": ratio(days_used(totals), processed),
        **{
            name: value
            for unit in ProcessingUnit
            for name, value in (
                (f"processed_{unit.value}", totals.total(PROCESSED_COLUMNS[unit])),
                (f"avg_{unit.value}", average_in(totals, unit)),
            )
        },
    }


def average_in(totals: Totals, unit: ProcessingUnit) -> float | None:
    """Indicator 2.2 over the dossiers received with a processing time in `unit`, in it."""
    used = totals.total(TIME_COLUMNS[unit]) / TIME_SCALE
    return ratio(used, totals.total(PROCESSED_COLUMNS[unit]))


def days_used(totals: Totals) -> float:
    """The times of all units summed in days, as `processing_days` converts a processing time
    (8 working hours a day, 30 days a month): the one figure over procedures of every unit."""
    return sum(
        totals.total(TIME_COLUMNS[unit]) / TIME_SCALE * DAYS_PER_UNIT[unit]
        for unit in ProcessingUnit
    )


UNIT_NAMES = {
    ProcessingUnit.working_days: "ngày làm việc",
    ProcessingUnit.working_hours: "giờ làm việc",
    ProcessingUnit.calendar_days: "ngày",
    ProcessingUnit.months: "tháng",
}


def by_unit_note(totals: Totals) -> str | None:
    """2.2's averages in each procedure's own unit, when the dossiers have more than one."""
    parts = [
        f"{average:.2f} {UNIT_NAMES[unit]} ({n} hồ sơ)".replace(".", ",")
        for unit in ProcessingUnit
        if (n := totals.total(PROCESSED_COLUMNS[unit]))
        and (average := average_in(totals, unit)) is not None
    ]
    if len(parts) < 2:
        return None
    return "Theo đơn vị của thủ tục: " + "; ".join(parts) + ". Giá trị chung quy đổi ra ngày."


def status_row(totals: Totals) -> dict[str, Any]:
    """Dossiers submitted in the period (online, or registered at the counter or by post) by
    their current status, every status present."""
    row: dict[str, Any] = {s.value: totals.total(STATUS_COLUMNS[s]) for s in DossierStatus}
    row["total"] = totals.total("submitted")
    return row


@cache
def _config() -> dict[str, dict[str, Any]]:
    raw = resources.files("app.data").joinpath("indicators_766.json").read_text(encoding="utf-8")
    return {item["code"]: item for item in json.loads(raw)["indicators"]}


def points(code: str, value: float | None) -> float | None:
    """Linear up to the full-marks threshold (higher is better), capped at the maximum."""
    config = _config()[code]
    threshold, maximum = config["threshold"], config["max_points"]
    if value is None or threshold is None or config["direction"] != "higher":
        return None
    return round(min(1.0, value / threshold) * maximum, 2) if threshold else float(maximum)


def indicator(
    code: str,
    numerator: int | float | None,
    denominator: int | float | None,
    note: str | None = None,
) -> dict[str, Any]:
    config = _config()[code]
    value = ratio(numerator, denominator) if numerator is not None and denominator else None
    if value is None and note is None and denominator == 0:
        note = "Không có hồ sơ (hoặc thủ tục) nào trong mẫu số."
    return {
        "code": code,
        "name": config["name"],
        "formula": config["formula"],
        "basis": config["basis"],
        "numerator": numerator,
        "denominator": denominator,
        "value": value,
        "threshold": config["threshold"],
        "max_points": config["max_points"],
        "points": points(code, value),
        "note": note,
    }


NOT_YET = "Hệ thống chưa ghi nhận thanh toán trực tuyến và đánh giá (một phiên bản sau)."


def indicators(
    session: Session, query: StatsQuery, now: datetime, names: Names | None = None
) -> list[dict[str, Any]]:
    """The indicators this system can compute for a scope and period."""
    names = names or Names(session)
    whole = StatsQuery(query.date_from, query.date_to, GroupBy.none, query.scope)
    _groups, total = compute(session, whole, now, EVERYTHING, names=names)
    on_time = on_time_row(total)
    online = online_ratio_row(total)
    catalogue = catalogue_stats(session, query.scope)
    by_procedure = _by_procedure(session, query, now, names)
    in_time = on_time["on_time"] + on_time["in_progress"] - on_time["overdue_in_progress"]
    return [
        indicator("2.1", in_time, on_time["to_process"]),
        indicator("2.2", days_used(total), on_time["processed"], by_unit_note(total)),
        indicator("3.1", catalogue["online_services"], catalogue["total"]),
        indicator("3.2", by_procedure.online_services_used, catalogue["online_services"]),
        indicator("3.3", online["online"], online["total"]),
        indicator("4.1", total.total("with_result"), by_procedure.issuing_results),
        indicator("4.2", total.total("digitised"), total.total("received")),
        indicator("3.5", None, None, NOT_YET),
        indicator("3.6", None, None, NOT_YET),
        indicator("5.4", None, None, NOT_YET),
    ]


BY_PROCEDURE = Measures(("received",), by_channel=True, judged=False)


@dataclass(frozen=True)
class _ByProcedure:
    online_services_used: int  # 3.2's numerator
    issuing_results: int  # 4.1's denominator


def _by_procedure(session: Session, query: StatsQuery, now: datetime, names: Names) -> _ByProcedure:
    """What needs the dossiers received per procedure: level 3–4 procedures in force that
    received an online dossier (3.2), and the dossiers received by procedures that issue a
    result (4.1)."""
    by_procedure = StatsQuery(query.date_from, query.date_to, GroupBy.procedure, query.scope)
    groups, _total = compute(session, by_procedure, now, BY_PROCEDURE, names=names)
    rows = session.execute(
        select(
            col(Procedure.code),
            col(Procedure.level),
            col(Procedure.retired_at),
            col(Procedure.issues_result),
        )
    ).all()
    online_codes = {c for c, level, retired, _i in rows if level in ONLINE_LEVELS and not retired}
    issuing = {code for code, _l, _r, issues in rows if issues}
    return _ByProcedure(
        sum(1 for g in groups if g.key in online_codes and g.totals.channel("online", "received")),
        sum(g.totals.total("received") for g in groups if g.key in issuing),
    )
