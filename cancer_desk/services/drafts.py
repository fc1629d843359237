"""Work in progress kept on disk every few seconds, so a power cut or a crash does not
take a half-filled questionnaire with it. Drafts are the signed-in person's own files in
the data folder (patients' answers: readable by the program's account alone); saving the
form, or closing it on purpose, removes the draft.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cancer_desk.paths import keep_private


@dataclass(frozen=True)
class Draft:
    kind: str
    patient_id: int
    saved_at: dt.datetime  # local time
    values: dict[str, Any]


class DraftStore:
    def __init__(self, folder: Path) -> None:
        self._folder = folder

    def _path(self, kind: str, patient_id: int, owner: str) -> Path:
        return self._folder / f"{kind}-{patient_id}-{owner}.json"

    def save(self, kind: str, patient_id: int, owner: str, values: dict[str, Any]) -> None:
        """Written whole or not at all (a new file put in place of the old one)."""
        keep_private(self._folder, folder=True)
        target = self._path(kind, patient_id, owner)
        partial = target.with_name(target.name + ".partial")
        keep_private(partial)
        payload = {"saved_at": dt.datetime.now().isoformat(timespec="seconds"),
                   "values": values}
        with partial.open("w", encoding="utf-8") as stream:
            json.dump(payload, stream, ensure_ascii=False)
            stream.flush()
            os.fsync(stream.fileno())
        partial.replace(target)

    def load(self, kind: str, patient_id: int, owner: str) -> Draft | None:
        path = self._path(kind, patient_id, owner)
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
            return Draft(kind, patient_id, dt.datetime.fromisoformat(payload["saved_at"]),
                         dict(payload["values"]))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            return None  # cut short by the crash itself: nothing to offer

    def discard(self, kind: str, patient_id: int, owner: str) -> None:
        with contextlib.suppress(OSError):
            self._path(kind, patient_id, owner).unlink(missing_ok=True)

    def pending(self, owner: str) -> list[Draft]:
        """This person's drafts left by a crash, newest first."""
        found = []
        for path in self._folder.glob(f"*-{owner}.json"):
            kind, _, rest = path.stem.partition("-")
            number = rest.removesuffix(f"-{owner}")
            if number.isdigit() and (draft := self.load(kind, int(number), owner)):
                found.append(draft)
        return sorted(found, key=lambda d: d.saved_at, reverse=True)

    def move_patient(self, from_id: int, to_id: int) -> int:
        """Drafts of a patient merged into another follow the record they now belong to;
        where the other already has one of the same kind by the same person, the newer
        stays. Returns how many moved."""
        moved = 0
        for path in self._folder.glob(f"*-{from_id}-*.json"):
            kind, _, rest = path.stem.partition("-")
            number, _, owner = rest.partition("-")
            if number != str(from_id) or not owner:
                continue
            source = self.load(kind, from_id, owner)
            target = self.load(kind, to_id, owner)
            if source is not None and (target is None or source.saved_at > target.saved_at):
                with contextlib.suppress(OSError):
                    path.replace(self._path(kind, to_id, owner))
                    moved += 1
                    continue
            self.discard(kind, from_id, owner)
        return moved
