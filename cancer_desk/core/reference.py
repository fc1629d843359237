"""Reference tables kept as data files: hub hospitals, cancer groups, provinces."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from cancer_desk.core.persian import search_key


class ReferenceDataError(ValueError):
    """A reference file is missing or does not hold what it should."""


@dataclass(frozen=True)
class Hub:
    number: int
    university: str
    province: str
    hospital: str
    city: str
    seed: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    uncertain: str = ""

    @property
    def title(self) -> str:
        """``بیمارستان امام خمینی — دانشگاه تهران (تهران)``"""
        return f"{hospital_title(self.hospital)} — دانشگاه {self.university} ({self.city})"

    @cached_property
    def _search_keys(self) -> tuple[str, ...]:
        return tuple(search_key(v) for v in (self.university, self.province, self.hospital,
                                             self.city))

    def matches(self, query: str) -> bool:
        """Does every word of ``query`` occur in its university, province, hospital or city?"""
        words = [search_key(w) for w in query.split()]
        return all(any(w in key for key in self._search_keys) for w in words if w)


def hospital_title(name: str) -> str:
    """«بیمارستان شفا», but not «بیمارستان مرکز آموزشی درمانی …» or a doubled word."""
    if name.startswith(("بیمارستان", "مرکز")):
        return name
    return f"بیمارستان {name}"


@dataclass(frozen=True)
class CancerGroup:
    id: int
    key: str
    label: str
    short_label: str
    seed: str = ""


@dataclass(frozen=True)
class Province:
    id: str
    name: str
    cities: tuple[str, ...]
    neighbours: tuple[str, ...] = ()  # province ids


OUTSIDE_GROUP_ID = 10
"""A cancer outside the directive's nine groups: no Form 2 row of its own, no support."""
OUTSIDE_LABEL = "خارج از گروه‌های دستورالعمل"
ALL_GROUP_IDS = frozenset({*range(1, 10), OUTSIDE_GROUP_ID})


@dataclass(frozen=True)
class Icd10Range:
    first: str  # «C15», or «C75.1» to compare whole codes
    last: str
    group_id: int  # 0 for an open range: the table does not decide
    or_outside: bool = False  # the code also holds kinds outside the groups (C44: BCC)
    note: str = ""

    def holds(self, code: str) -> bool:
        """Does the (normalised) ``code`` fall in the range?"""
        if "." in self.first or "." in self.last:
            return self.first <= code <= self.last
        return self.first <= code[:3] <= self.last


@dataclass(frozen=True)
class Form1Lists:
    received_item_label: str
    t_values: tuple[str, ...]
    n_values: tuple[str, ...]
    m_values: tuple[str, ...]
    grades: tuple[str, ...]
    relations: tuple[str, ...]
    # Field name → what the field wants, in Persian (form1.toml's [help]): data, so that
    # the ministry's wording can change without a new program.
    help: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def help_for(self, name: str) -> str:
        """The help text of a field of Form 1, or "" if the data file has none."""
        return self.help.get(name, "")


@dataclass(frozen=True)
class ProgrammeDefaults:
    default_budget_line: str = "11-520000"
    first_programme_year: int = 1388
    insurance_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReferenceData:
    hubs: tuple[Hub, ...]
    cancer_groups: tuple[CancerGroup, ...]
    provinces: tuple[Province, ...]
    programme: ProgrammeDefaults = ProgrammeDefaults()
    icd10_ranges: tuple[Icd10Range, ...] = ()
    form1: Form1Lists | None = None
    outside_group: CancerGroup = CancerGroup(OUTSIDE_GROUP_ID, "outside", OUTSIDE_LABEL,
                                             OUTSIDE_LABEL)

    @property
    def all_groups(self) -> tuple[CancerGroup, ...]:
        """The nine groups, then «outside the groups»: what a patient's group can be."""
        return (*self.cancer_groups, self.outside_group)

    def hub(self, number: int) -> Hub | None:
        return next((h for h in self.hubs if h.number == number), None)

    def cancer_group(self, group_id: int) -> CancerGroup | None:
        return next((g for g in self.all_groups if g.id == group_id), None)

    def province(self, name: str) -> Province | None:
        return next((p for p in self.provinces if p.name == name), None)

    def provinces_with_hubs(self) -> frozenset[str]:
        return frozenset(h.province for h in self.hubs)

    def find_hubs(self, query: str) -> list[Hub]:
        return [h for h in self.hubs if h.matches(query)]


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # TOML, encoding, a 4,300-digit number
        raise ReferenceDataError(f"{path}: {exc}") from exc


def _rows(data: dict[str, Any], key: str, path: Path, required: set[str]) -> list[dict[str, Any]]:
    rows = data.get(key)
    if not isinstance(rows, list) or not rows:
        raise ReferenceDataError(f"{path}: no [[{key}]] entries")
    for i, row in enumerate(rows, start=1):
        missing = sorted(required - set(row))
        if missing:
            raise ReferenceDataError(f"{path}: entry {i} of [[{key}]] lacks {', '.join(missing)}")
    return rows


def _help_texts(table: object, path: Path) -> dict[str, str]:
    if not isinstance(table, dict):
        raise ReferenceDataError(f"{path}: [help] must be a table of field = text")
    texts = {}
    for name, text in table.items():
        if not isinstance(text, str) or not text.strip():
            raise ReferenceDataError(f"{path}: the help of {name!r} must be some text")
        texts[name] = text.strip()
    return texts


def load_reference(directory: Path) -> ReferenceData:
    """Load and cross-check ``hubs.toml``, ``cancer_groups.toml`` and ``provinces.toml``."""
    provinces = _load_provinces(directory / "provinces.toml")
    groups = _load_groups(directory / "cancer_groups.toml")
    hubs = _load_hubs(directory / "hubs.toml")
    _check_neighbours(provinces, directory / "provinces.toml")
    _check_hub_provinces(hubs, provinces, directory / "hubs.toml")
    _check_unique(directory, hubs, groups, provinces)
    programme = _load_programme(directory / "programme.toml")
    outside = _load_outside(directory / "cancer_groups.toml")
    ranges = _load_icd10_ranges(directory / "icd10_groups.toml", {g.id for g in groups})
    form1 = _load_form1(directory / "form1.toml")
    return ReferenceData(hubs, groups, provinces, programme, ranges, form1, outside)


def _load_provinces(path: Path) -> tuple[Province, ...]:
    return tuple(
        Province(r["id"], r["name"], tuple(r.get("cities", ())), tuple(r.get("neighbours", ())))
        for r in _rows(_read(path), "provinces", path, {"id", "name"})
    )


def _load_groups(path: Path) -> tuple[CancerGroup, ...]:
    return tuple(
        CancerGroup(r["id"], r["key"], r["label"], r.get("short_label", r["label"]),
                    r.get("seed", ""))
        for r in _rows(_read(path), "groups", path, {"id", "key", "label"})
    )


def _load_outside(path: Path) -> CancerGroup:
    entry = _read(path).get("outside")
    if not isinstance(entry, dict) or entry.get("id") != OUTSIDE_GROUP_ID \
            or not entry.get("key") or not entry.get("label"):
        raise ReferenceDataError(f"{path}: [outside] must give key, label and "
                                 f"id = {OUTSIDE_GROUP_ID}")
    label = str(entry["label"])
    return CancerGroup(OUTSIDE_GROUP_ID, str(entry["key"]), label,
                       str(entry.get("short_label", label)))


def _load_hubs(path: Path) -> tuple[Hub, ...]:
    return tuple(
        Hub(r["number"], r["university"], r["province"], r["hospital"], r["city"],
            dict(r.get("seed", {})), r.get("uncertain", ""))
        for r in _rows(_read(path), "hubs", path,
                       {"number", "university", "province", "hospital", "city"})
    )


def _check_neighbours(provinces: tuple[Province, ...], path: Path) -> None:
    """Each neighbour is a known province, and lists the province back."""
    for province in provinces:
        for neighbour in province.neighbours:
            other = next((p for p in provinces if p.id == neighbour), None)
            if other is None:
                raise ReferenceDataError(f"{path}: {province.id} names an unknown "
                                         f"neighbour {neighbour!r}")
            if province.id not in other.neighbours:
                raise ReferenceDataError(f"{path}: {province.id} borders {neighbour} "
                                         f"but {neighbour} does not list {province.id}")


def _check_hub_provinces(hubs: tuple[Hub, ...], provinces: tuple[Province, ...],
                         path: Path) -> None:
    province_names = {p.name for p in provinces}
    for hub in hubs:
        if hub.province not in province_names:
            raise ReferenceDataError(f"{path}: hub {hub.number} names an unknown "
                                     f"province {hub.province!r}")


def _check_unique(directory: Path, hubs: tuple[Hub, ...], groups: tuple[CancerGroup, ...],
                  provinces: tuple[Province, ...]) -> None:
    for name, values in (("hub numbers", [h.number for h in hubs]),
                         ("cancer group ids", [g.id for g in groups]),
                         ("province names", [p.name for p in provinces])):
        if len(set(values)) != len(values):
            raise ReferenceDataError(f"{directory}: {name} repeat")


def _load_programme(path: Path) -> ProgrammeDefaults:
    data = _read(path)
    try:
        return ProgrammeDefaults(str(data["default_budget_line"]),
                                 int(data["first_programme_year"]),
                                 tuple(data["insurance_types"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise ReferenceDataError(f"{path}: missing or wrong {exc}") from exc


def _load_icd10_ranges(path: Path, group_ids: set[int]) -> tuple[Icd10Range, ...]:
    data = _read(path)
    ranges = tuple(
        Icd10Range(r["from"], r["to"], r["group"], bool(r.get("or_outside", False)),
                   r.get("note", ""))
        for r in _rows(data, "ranges", path, {"from", "to", "group"})
    ) + tuple(Icd10Range(r["from"], r["to"], 0, note=r.get("note", ""))
              for r in _rows(data, "open", path, {"from", "to"}))
    for entry in ranges:
        if (entry.group_id and entry.group_id not in group_ids) or entry.first > entry.last:
            raise ReferenceDataError(f"{path}: range {entry.first}-{entry.last} is wrong")
    return ranges


def _load_form1(path: Path) -> Form1Lists:
    data = _read(path)
    try:
        staging = data["staging"]
        return Form1Lists(
            received_item_label=data["received_item"]["label"],
            t_values=tuple(staging["t"]),
            n_values=tuple(staging["n"]),
            m_values=tuple(staging["m"]),
            grades=tuple(staging["grade"]),
            relations=tuple(data.get("relations", ())),
            help=_help_texts(data.get("help", {}), path),
        )
    except (KeyError, TypeError) as exc:
        raise ReferenceDataError(f"{path}: missing {exc}") from exc
