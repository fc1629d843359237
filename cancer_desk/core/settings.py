"""The hub's settings as a person enters them on first run: checks and defaults."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import SupportsInt

from cancer_desk.core.errors import ValidationErrors
from cancer_desk.core.persian import (
    normalize_identifier,
    normalize_text,
    one_line_problem,
    parse_int,
    to_persian_digits,
)
from cancer_desk.core.reference import ProgrammeDefaults

LAST_PROGRAMME_YEAR = 1435  # the last year Qt's and jdatetime's calendars agree on

LABELS = {
    "university": "دانشگاه علوم پزشکی",
    "province": "استان",
    "hospital": "بیمارستان",
    "city": "شهر",
    "programme_year": "سال برنامه",
    "budget_line": "ردیف بودجه",
    "director_name": "نام رئیس بیمارستان",
    "social_worker_name": "نام مددکار اجتماعی",
}

_BUDGET_LINE = re.compile(r"\d{1,3}-\d{3,8}")


@dataclass(frozen=True)
class HubSettingsInput:
    university: str
    province: str
    hospital: str
    programme_year: int
    budget_line: str = "11-520000"
    city: str = ""
    director_name: str = ""
    social_worker_name: str = ""
    hub_number: int | None = None

    @classmethod
    def of(cls, record: object, **changes: object) -> HubSettingsInput:
        """The editable part of saved settings (a HubSettingsRecord), with ``changes``."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{**{n: getattr(record, n) for n in names}, **changes})


_DEFAULTS = ProgrammeDefaults()


def _optional_int(value: object) -> int | None:
    """``int(value)``, or ``None`` for nothing given."""
    if value in (None, ""):
        return None
    if not isinstance(value, str | SupportsInt):
        raise TypeError(f"not a whole number: {value!r}")
    return int(value)


def clean_hub_settings(raw: Mapping[str, object],
                       programme: ProgrammeDefaults = _DEFAULTS) -> HubSettingsInput:
    errors: dict[str, str] = {}
    text = {k: normalize_text(str(raw.get(k) or "")) for k in LABELS if k != "programme_year"}
    for key in text:
        if problem := one_line_problem(str(raw.get(key) or ""), LABELS[key]):
            errors[key] = problem
    for required in ("university", "province", "hospital"):
        if not text[required]:
            errors[required] = f"«{LABELS[required]}» را وارد کنید."
    year: int | None = None
    try:
        year = parse_int(raw.get("programme_year"))
    except ValueError:
        errors["programme_year"] = "«سال برنامه» باید سالی شمسی مثل ۱۴۰۴ باشد."
    first = programme.first_programme_year
    if year is not None and not first <= year <= LAST_PROGRAMME_YEAR:
        errors["programme_year"] = (f"«سال برنامه» باید بین {to_persian_digits(first)} و "
                                    f"{to_persian_digits(LAST_PROGRAMME_YEAR)} باشد.")
    budget_line = normalize_identifier(text["budget_line"]) or programme.default_budget_line
    if not _BUDGET_LINE.fullmatch(budget_line):
        errors["budget_line"] = "«ردیف بودجه» باید به شکل ۱۱-۵۲۰۰۰۰ باشد."
    hub_number = raw.get("hub_number")
    if errors or year is None:  # a year that is None is always an error above
        raise ValidationErrors(errors)
    return HubSettingsInput(
        university=text["university"],
        province=text["province"],
        hospital=text["hospital"],
        city=text["city"],
        programme_year=year,
        budget_line=budget_line,
        director_name=text["director_name"],
        social_worker_name=text["social_worker_name"],
        hub_number=_optional_int(hub_number),
    )
