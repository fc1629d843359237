from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from cancer_desk.core.errors import InputError
from cancer_desk.core.rules import RuleBook
from cancer_desk.core.scoring import ScoringError
from cancer_desk.services.assessments import AssessmentService
from cancer_desk.services.errors import NotFoundError
from tests.builders import identity
from tests.conftest import RULESET_1388, full_answers


@pytest.fixture
def patient(context):
    return context.patients.create(identity())


def test_record_scores_and_remembers_everything(context, patient) -> None:
    saved = context.assessments.record(patient.id, full_answers(),
                                       assessed_on=dt.date(2025, 5, 1))
    assert (saved.score, saved.coverage_percent, saved.ruleset_id) == (76, 70, "moh-1388")
    assert saved.points["sick_children"] == 20
    assert saved.assessor == "مریم احمدی"  # the signed-in account's name
    [stored] = context.assessments.history(patient.id)
    assert stored == saved


def test_history_is_newest_first(context, patient) -> None:
    for day in (3, 1, 2):
        context.assessments.record(patient.id, full_answers(),
                                   assessed_on=dt.date(2025, 1, day))
    assert [a.assessed_on.day for a in context.assessments.history(patient.id)] == [3, 2, 1]
    assert [a.assessed_on.day for a in context.assessments.history(patient.id, limit=1)] == [3]


@pytest.mark.parametrize(("answers", "criterion"), [
    ({k: v for k, v in full_answers().items() if k != "debt"}, "debt"),
    (full_answers(family_size=-2), "family_size"),
    ({**full_answers(), "pets": 2}, "pets"),
])
def test_bad_answers_save_nothing(context, patient, answers, criterion) -> None:
    with pytest.raises(ScoringError) as caught:
        context.assessments.record(patient.id, answers)
    assert caught.value.criterion == criterion
    assert context.assessments.history(patient.id) == []


def test_bad_date_saves_nothing(context, patient) -> None:
    with pytest.raises(InputError, match="future"):
        context.assessments.record(patient.id, full_answers(),
                                   assessed_on=dt.date.today() + dt.timedelta(days=1))
    with pytest.raises(NotFoundError):
        context.assessments.record(9999, full_answers())
    assert context.assessments.history(patient.id) == []


def test_each_assessment_keeps_the_rule_set_that_scored_it(context, patient,
                                                          tmp_path: Path) -> None:
    """A newer rule set (here: sick children worth less) scores new assessments only."""
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    shutil.copy(RULESET_1388, rules_dir)
    newer = (RULESET_1388.read_text(encoding="utf-8")
             .replace('id = "moh-1388"', 'id = "moh-1404"')
             .replace("effective_from = 2009-08-16", "effective_from = 2025-03-21")
             .replace("  at_least = 1\n  points = 20", "  at_least = 1\n  points = 15"))
    (rules_dir / "moh-1404.toml").write_text(newer, encoding="utf-8")
    service = AssessmentService(context.database.session_factory,
                                RuleBook.from_directories([rules_dir]), context.access)
    old = service.record(patient.id, full_answers(),
                         assessed_on=dt.date(2024, 1, 10))
    new = service.record(patient.id, full_answers(),
                         assessed_on=dt.date(2025, 6, 1))
    assert (old.ruleset_id, old.score) == ("moh-1388", 76)
    assert (new.ruleset_id, new.score) == ("moh-1404", 71)
    history = {a.ruleset_id: a.score for a in service.history(patient.id)}
    assert history == {"moh-1388": 76, "moh-1404": 71}


def test_an_assessment_dated_before_its_rule_set_is_refused(context, patient) -> None:
    with pytest.raises(InputError) as caught:
        context.assessments.record(patient.id, full_answers(),
                                   assessed_on=dt.date(2009, 1, 1), ruleset_id="moh-1388")
    assert caught.value.field == "assessed_on"
    assert "پیش از اجرای" in caught.value.message_fa
