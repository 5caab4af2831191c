"""REG-4: the transition table. Every (state, action) pair is tried; only the pairs in ``MOVES`` succeed.

Two tables: the services as their callers use them (the doctor submits / resubmits / withdraws, the
officer agrees / disagrees / revokes, the reviewer approves / returns), and ``application_move`` itself
for every ``Action``. A refused pair raises ``TransitionRefused``, changes no row of any table and writes
no log row. The business rules are switched off here (``no_rules``): they have their own tests, and the
table must hold whatever they say.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from approvals.services import application_approve, application_return
from docregsys.exceptions import TransitionRefused
from docregsys.messaging.models import OutboundMessage
from registrations.calendar import add_working_days
from registrations.models import Action, Application, ApplicationEvent, Initiator, Kind, State
from registrations.services.applications import (
    MOVES,
    application_agree,
    application_disagree,
    application_move,
    application_revoke,
    application_submit,
    application_withdraw,
    target_of,
)
from tests import personas
from tests.applications import new_passer, province_of, registered_doctor, reviewer_for, route, scope
from tests.factories import ApplicationFactory, AuthorityFactory

STATES = list(State.values)
REASON = "材料不全，请补充后重新提交"


@pytest.fixture
def no_rules(monkeypatch):
    monkeypatch.setattr("registrations.services.applications.application_refusals", lambda **kwargs: [])
    monkeypatch.setattr("approvals.selectors.application_refusals", lambda **kwargs: [])


@pytest.fixture
def world(db, officer_x):
    """A new passer's 注册 at X (routed to 芙蓉区), the three actors, and a builder of the application in a state."""
    x = personas.institution(personas.X)
    authority = route(x)
    doctor = new_passer()
    reviewer = reviewer_for(authority)

    def in_state(state: str, **fields) -> Application:
        now = timezone.now()
        values = {
            "authority": authority,
            "submitted_at": None if state == State.DRAFT else now,
            "agreed_at": now if state in (State.AGREED, State.APPROVED, State.RETURNED) else None,
            "due_date": add_working_days(timezone.localdate(), 20) if state == State.AGREED else None,
            "decided_at": now if state in (State.APPROVED, State.RETURNED, State.DISAGREED) else None,
        }
        values.update(fields)
        return ApplicationFactory(
            kind=Kind.REGISTER,
            doctor=doctor,
            institution=x,
            location=province_of(x),
            state=state,
            scopes=[scope()],
            **values,
        )

    return {"doctor": doctor, "officer": officer_x, "reviewer": reviewer, "in_state": in_state, "x": x}


# service name → (how it is called, the MOVES actions it may perform)
SERVICES = {
    "submit": (
        lambda w, pk: application_submit(doctor=w["doctor"], application_id=pk),
        (Action.SUBMIT, Action.RESUBMIT),
    ),
    "withdraw": (
        lambda w, pk: application_withdraw(doctor=w["doctor"], application_id=pk),
        (Action.WITHDRAW,),
    ),
    "agree": (lambda w, pk: application_agree(officer=w["officer"], application_id=pk), (Action.AGREE,)),
    "disagree": (
        lambda w, pk: application_disagree(officer=w["officer"], application_id=pk, reason=REASON),
        (Action.DISAGREE,),
    ),
    "revoke": (lambda w, pk: application_revoke(officer=w["officer"], application_id=pk), (Action.REVOKE,)),
    "approve": (
        lambda w, pk: application_approve(reviewer=w["reviewer"], application_id=pk),
        (Action.APPROVE,),
    ),
    "return": (
        lambda w, pk: application_return(reviewer=w["reviewer"], application_id=pk, reason=REASON),
        (Action.RETURN,),
    ),
}


def _expected(state: str, actions) -> str | None:
    """The action a service performs from `state`, or None when the table has no such move."""
    for action in actions:
        if state in MOVES[action].sources:
            return action
    return None


@pytest.mark.parametrize("service", list(SERVICES))
@pytest.mark.parametrize("state", STATES)
def test_every_service_in_every_state(no_rules, world, assert_nothing_changed, state, service):
    """REG-4: a service succeeds exactly from the states MOVES lists for its action, reaching the table's
    target with one log row and the doctor's message; from every other state it is refused and nothing
    changes."""
    call, actions = SERVICES[service]
    application = world["in_state"](state)
    action = _expected(state, actions)
    if action is None:
        with assert_nothing_changed(f"{service} from {state}"):
            with pytest.raises(TransitionRefused):
                call(world, application.pk)
        assert Application.objects.get(pk=application.pk).state == state
        assert not ApplicationEvent.objects.filter(application=application).exists()
        return
    messages = OutboundMessage.objects.count()
    moved = call(world, application.pk)
    target = MOVES[action].target
    assert moved.state == target == Application.objects.get(pk=application.pk).state
    events = list(ApplicationEvent.objects.filter(application=application))
    assert [(e.action, e.from_state, e.to_state) for e in events] == [(action, state, target)]
    assert OutboundMessage.objects.count() == messages + 1


@pytest.mark.parametrize("action", list(MOVES))
@pytest.mark.parametrize("state", STATES)
def test_the_mover_allows_exactly_the_pairs_of_the_table(world, assert_nothing_changed, state, action):
    """REG-4: ``application_move`` itself, for every Action and every state: a move exists exactly where
    MOVES lists it (the services cannot reach around the table)."""
    application = world["in_state"](state)
    scope = Application.objects.all()
    actor = world["reviewer"]
    if state not in MOVES[action].sources:
        with assert_nothing_changed(f"{action} from {state}"):
            with pytest.raises(TransitionRefused) as refused:
                application_move(application_id=application.pk, actor=actor, action=action, scope=scope)
        assert refused.value.code == "wrong_state"
        return
    moved = application_move(application_id=application.pk, actor=actor, action=action, scope=scope)
    assert moved.state == MOVES[action].target
    assert ApplicationEvent.objects.get(application=application).action == action


def test_the_table_is_what_reg_4_says():
    """REG-4 in one picture: the moves and their sources, as the issue lists them."""
    assert {action: (set(move.sources), move.target) for action, move in MOVES.items()} == {
        Action.SUBMIT: ({State.DRAFT}, State.SUBMITTED),
        Action.WITHDRAW: ({State.DRAFT, State.SUBMITTED, State.RETURNED}, State.WITHDRAWN),
        Action.AGREE: ({State.SUBMITTED}, State.AGREED),
        Action.DISAGREE: ({State.SUBMITTED}, State.DISAGREED),
        Action.REVOKE: ({State.AGREED}, State.SUBMITTED),
        Action.APPROVE: ({State.AGREED}, State.APPROVED),
        Action.RETURN: ({State.AGREED}, State.RETURNED),
        Action.RESUBMIT: ({State.RETURNED}, State.SUBMITTED),
    }


# ------------------------------------------------------------------------------------ who may act


@pytest.mark.parametrize(
    "service", ["submit", "withdraw", "agree", "disagree", "revoke", "approve", "return"]
)
def test_the_wrong_actor_is_refused_in_the_right_state(
    no_rules, world, assert_nothing_changed, service, officer_y, doctor_b, tianxin_reviewer
):
    """REG-4 / STYLE §2: another doctor, another institution's officer, another authority's reviewer:
    refused as "not found" from the very state the service moves from, nothing changed."""
    _call, actions = SERVICES[service]
    state = MOVES[actions[0]].sources[0]
    application = world["in_state"](state)
    strangers = {**world, "doctor": doctor_b, "officer": officer_y, "reviewer": tianxin_reviewer}
    call, _actions = SERVICES[service]
    with assert_nothing_changed(f"{service} by a stranger"):
        with pytest.raises(TransitionRefused) as refused:
            call(strangers, application.pk)
    assert refused.value.code == "not_found"


def test_a_doctor_cannot_amend_submit_or_withdraw_an_institutions_application(
    no_rules, world, assert_nothing_changed
):
    """INS-10: the institution is the applicant; the doctor sees its application about them but cannot act."""
    doctor = world["doctor"]
    returned = world["in_state"](State.RETURNED, initiator=Initiator.INSTITUTION)
    with assert_nothing_changed("the doctor acting on the institution's application"):
        for call in (application_submit, application_withdraw):
            with pytest.raises(TransitionRefused):
                call(doctor=doctor, application_id=returned.pk)


# ------------------------------------------------------------------------------------ institution-initiated


def test_an_institutions_revocation_withdraws_its_own_application(no_rules, world):
    """INS-10: revoke of an application the institution filed itself → 已撤回 (there is no 机构审核中 for it)."""
    application = world["in_state"](State.AGREED, initiator=Initiator.INSTITUTION)
    moved = application_revoke(officer=world["officer"], application_id=application.pk)
    assert moved.state == State.WITHDRAWN == target_of(application, Action.REVOKE)
    event = ApplicationEvent.objects.get(application=application)
    assert (event.from_state, event.to_state) == (State.AGREED, State.WITHDRAWN)


def test_an_institutions_resubmission_goes_straight_back_to_the_authority_with_a_new_due_date(
    no_rules, world
):
    """INS-10 / REG-4: a returned institution application resubmitted → 卫健委审批中 again, routed by today's
    审批机关设置 (changed meanwhile), agreed today, the time limit counted afresh, no longer decided."""
    old_authority = AuthorityFactory(region=personas.region("city"))
    application = world["in_state"](
        State.RETURNED,
        initiator=Initiator.INSTITUTION,
        authority=old_authority,
        agreed_at=timezone.now() - dt.timedelta(days=40),
        due_date=timezone.localdate() - dt.timedelta(days=10),
    )
    new_authority = route(world["x"])  # X's setting for 临床 is its county's bureau
    moved = application_move(
        application_id=application.pk,
        actor=world["officer"],
        action=Action.RESUBMIT,
        scope=Application.objects.filter(institution=world["x"]),
    )
    application.refresh_from_db()
    assert moved.state == application.state == State.AGREED
    assert application.authority == new_authority != old_authority
    assert application.agreed_at.date() == timezone.localdate()
    assert application.due_date == add_working_days(timezone.localdate(), new_authority.statutory_days)
    assert application.decided_at is None
    event = ApplicationEvent.objects.get(application=application)
    assert (event.action, event.from_state, event.to_state) == (Action.RESUBMIT, State.RETURNED, State.AGREED)


def test_an_institutions_resubmission_without_an_authority_set_is_refused(
    no_rules, world, assert_nothing_changed
):
    """INS-2: the institution removed its 审批机关设置 meanwhile: the resubmission says so, nothing changes."""
    from institutions.models import InstitutionAuthority

    application = world["in_state"](State.RETURNED, initiator=Initiator.INSTITUTION)
    InstitutionAuthority.objects.filter(institution=world["x"]).delete()
    with assert_nothing_changed("a resubmission without an authority"):
        with pytest.raises(TransitionRefused) as refused:
            application_move(
                application_id=application.pk,
                actor=world["officer"],
                action=Action.RESUBMIT,
                scope=Application.objects.all(),
            )
    assert refused.value.code == "no_authority" and "审批机关设置" in str(refused.value.message)


def test_a_doctors_resubmission_stops_the_authoritys_clock(no_rules, world):
    """REG-4: back in 机构审核中 the authority's due date and the agreement date are cleared, and the
    application is no longer decided; the institution's next 同意 starts the clock again."""
    application = world["in_state"](State.RETURNED)
    moved = application_submit(doctor=world["doctor"], application_id=application.pk)
    application.refresh_from_db()
    assert moved.state == State.SUBMITTED
    assert (application.agreed_at, application.due_date, application.decided_at) == (None, None, None)
    application_agree(officer=world["officer"], application_id=application.pk)
    application.refresh_from_db()
    assert application.due_date == add_working_days(
        timezone.localdate(), application.authority.statutory_days
    )


def test_agree_without_an_authority_set_is_refused(no_rules, world, assert_nothing_changed):
    """INS-2: no 审批机关设置 for the category: 同意 is refused with the way to fix it, nothing changes."""
    from institutions.models import InstitutionAuthority

    application = world["in_state"](State.SUBMITTED)
    InstitutionAuthority.objects.filter(institution=world["x"]).delete()
    with assert_nothing_changed("agree without an authority"):
        with pytest.raises(TransitionRefused) as refused:
            application_agree(officer=world["officer"], application_id=application.pk)
    assert refused.value.code == "no_authority"


def test_a_registered_doctors_application_is_refused_to_the_wrong_institution(no_rules, db, officer_y):
    """STYLE §2: Y's officer cannot agree to an application routed to X (not found, nothing leaks)."""
    x = personas.institution(personas.X)
    doctor, _record = registered_doctor(at=x)
    application = ApplicationFactory(doctor=doctor, institution=x, submitted=True)
    with pytest.raises(TransitionRefused) as refused:
        application_agree(officer=officer_y, application_id=application.pk)
    assert refused.value.code == "not_found"
