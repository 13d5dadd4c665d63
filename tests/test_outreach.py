"""The daily work: outreach with status and follow-up in one form, edits, deletes, register."""

from datetime import date, timedelta

import sqlalchemy as sa

from app.domain.enums import InterlocutorLevel, PledgeForm, RequestStatus, Role, SupportStatus
from app.extensions import db
from app.models import FollowUp, OutreachEntry, OutreachRevision, State, StatusChange
from app.services.campaigns import default_campaign
from app.services.status import Evidence, change_status, position_for
from tests.factories import add_contact, add_outreach, add_request, as_actor


def state(code: str) -> State:
    return db.session.scalar(sa.select(State).where(State.iso3 == code))


def meeting_form(**overrides) -> dict:
    """The outreach form as posted for the live campaign; `new_status`/`version` name its fields."""
    campaign = default_campaign()
    base = {
        "occurred_on": "2025-11-24", "channel": "in_person", "level": "minister", "location": "Phnom Penh",
        "states": [str(state("KHM").id)], "our_participants": "Minister of Human Rights",
        "their_participants": "", "summary": "Asked for support for the presidency bid; positive response.",
        "new_status": "", "status_reason": "", "source_level": "", "pledge_form": "", "note_reference": "",
        "note_date": "", "condition_request": "", "follow_up_text": "", "follow_up_due": "", "follow_up_owner": "",
        "version": str(position_for(campaign, state("KHM")).version), "campaigns": [str(campaign.id)],
    }
    base.update(overrides)
    khm = state("KHM").id
    base[f"status_{campaign.id}_{khm}"] = base.pop("new_status")
    base[f"version_{campaign.id}_{khm}"] = base.pop("version")
    return base


def test_meeting_moves_cambodia_to_verbal_pledge_with_evidence_and_follow_up(client, auth):
    user = auth.login(Role.STAFF)
    campaign = default_campaign()
    change_status(
        campaign,
        state("KHM"),
        to_status=SupportStatus.APPROACHED,
        expected_version=1,
        actor=as_actor(user),
        reason="Asked",
    )
    db.session.commit()
    keo = add_contact("KHM", user)
    db.session.commit()
    response = auth.post(
        "/states/KHM/outreach/new",
        meeting_form(
            contacts=[str(keo.id)],
            new_status="verbal_pledge",
            status_reason="Keo Remy pledged Cambodia's vote.",
            source_level="minister",
            pledge_form="verbal_meeting",
            follow_up_text="Ask for the pledge in a note verbale",
            follow_up_due="2025-12-05",
            follow_up_owner=str(user.id),
        ),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    change = db.session.scalar(sa.select(StatusChange).order_by(StatusChange.id.desc()))
    assert (change.from_status, change.to_status) == (SupportStatus.APPROACHED, SupportStatus.VERBAL_PLEDGE)
    assert change.source_level is InterlocutorLevel.MINISTER and change.pledge_form is PledgeForm.VERBAL_MEETING
    assert change.outreach_id == db.session.scalar(sa.select(OutreachEntry.id))
    assert change.effective_on == date(2025, 11, 24)
    page = client.get("/states/KHM").get_data(as_text=True)
    assert "Keo Remy pledged Cambodia&#39;s vote." in page
    assert "Given by: Minister." in page and "Form: Verbal, in a meeting." in page
    assert page.index("Verbal pledge") < page.index("Asked for support for the presidency bid")
    my_list = client.get("/follow-ups").get_data(as_text=True)
    assert "Ask for the pledge in a note verbale" in my_list and "overdue" in my_list


def test_entry_covering_several_states_is_on_each_timeline(client, auth):
    auth.login(Role.STAFF)
    ids = [str(state(c).id) for c in ("KHM", "LAO", "VNM")]
    auth.post("/states/KHM/outreach/new", meeting_form(states=ids, summary="ASEAN ambassadors' lunch in Geneva."))
    for code in ("KHM", "LAO", "VNM"):
        assert "ASEAN ambassadors&#39; lunch in Geneva." in client.get(f"/states/{code}").get_data(as_text=True)


def test_future_date_and_missing_summary_are_refused_and_nothing_saved(client, auth):
    auth.login(Role.STAFF)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    response = auth.post(
        "/states/KHM/outreach/new", meeting_form(occurred_on=tomorrow, summary="", new_status="against")
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The date cannot be in the future." in html and "This field is required." in html
    assert db.session.scalar(sa.select(sa.func.count(OutreachEntry.id))) == 0
    assert position_for(default_campaign(), state("KHM")).status is SupportStatus.NOT_APPROACHED


def test_follow_up_without_owner_or_date_is_refused(client, auth):
    auth.login(Role.STAFF)
    response = auth.post("/states/KHM/outreach/new", meeting_form(follow_up_text="Call back"))
    html = response.get_data(as_text=True)
    assert "Give the follow-up a due date." in html and "Give the follow-up an owner." in html
    assert db.session.scalar(sa.select(sa.func.count(FollowUp.id))) == 0


def test_long_summary_in_any_script_round_trips(client, auth):
    auth.login(Role.STAFF)
    summary = ("Встреча с послом. ប្រជុំ។ اجتماع. " * 700)[:20000]
    assert len(summary) == 20000
    auth.post("/states/KHM/outreach/new", meeting_form(summary=summary))
    assert db.session.scalar(sa.select(OutreachEntry.summary)) == summary.strip()


def test_conflicting_status_save_is_refused_and_keeps_what_was_typed(client, auth):
    auth.login(Role.STAFF)
    stale = meeting_form(new_status="written_pledge", pledge_form="note_verbale", note_reference="NV/2025/117",
                         summary="Note verbale received from the mission.")
    other = type(auth)(client.application.test_client())
    other.login(Role.ADMIN)
    version = stale[f"version_{default_campaign().id}_{state('KHM').id}"]
    other.post("/states/KHM/status", {"status": "against", "reason": "Capital says no.", "version": version},
               page="/states/KHM")
    response = auth.post("/states/KHM/outreach/new", stale)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "The status was changed meanwhile by Test admin" in html and "“Against”" in html
    assert "NV/2025/117" in html and "Note verbale received from the mission." in html
    assert db.session.scalar(sa.select(sa.func.count(OutreachEntry.id))) == 0
    assert position_for(default_campaign(), state("KHM")).status is SupportStatus.AGAINST


def test_author_edits_keep_before_and_after_and_others_cannot(client, auth):
    author = auth.login(Role.STAFF)
    entry = add_outreach(default_campaign(), ["KHM"], author, summary="First version")
    db.session.commit()
    form = meeting_form(summary="Second version")
    response = auth.post(f"/outreach/{entry.id}/edit", form)
    assert response.status_code == 302
    revision = db.session.scalar(sa.select(OutreachRevision))
    assert revision.before["summary"] == "First version" and revision.after["summary"] == "Second version"
    assert revision.editor_id == author.id
    assert "First version" in client.get(f"/outreach/{entry.id}").get_data(as_text=True)
    other = type(auth)(client.application.test_client())
    other.login(Role.STAFF, email="colleague@example.test")
    assert other.client.get(f"/outreach/{entry.id}/edit").status_code == 403


def test_only_admins_delete_softly_with_a_reason(client, auth):
    staff = auth.login(Role.STAFF)
    entry = add_outreach(default_campaign(), ["KHM"], staff, summary="To be deleted")
    db.session.commit()
    admin = type(auth)(client.application.test_client())
    admin.login(Role.ADMIN)
    response = admin.post(f"/outreach/{entry.id}/delete", {"reason": ""}, page=f"/outreach/{entry.id}")
    assert db.session.get(OutreachEntry, entry.id).deleted_at is None
    response = admin.post(
        f"/outreach/{entry.id}/delete", {"reason": "Logged on the wrong state"}, page=f"/outreach/{entry.id}"
    )
    assert response.status_code == 302
    db.session.expire_all()
    kept = db.session.get(OutreachEntry, entry.id)
    assert kept.deleted_at is not None and kept.delete_reason == "Logged on the wrong state"
    assert "To be deleted" not in client.get("/states/KHM").get_data(as_text=True)
    assert client.get(f"/outreach/{entry.id}").status_code == 404


def test_follow_ups_done_and_reopened_with_overdue_first(client, auth):
    user = auth.login(Role.STAFF)
    campaign = default_campaign()
    from app.services.followups import add_follow_up

    later = add_follow_up(
        campaign,
        state("LAO"),
        text="Later one",
        due_on=date.today() + timedelta(days=9),
        owner=user,
        actor=as_actor(user),
    )
    add_follow_up(
        campaign,
        state("KHM"),
        text="Overdue one",
        due_on=date.today() - timedelta(days=2),
        owner=user,
        actor=as_actor(user),
    )
    db.session.commit()
    html = client.get("/follow-ups").get_data(as_text=True)
    assert html.index("Overdue one") < html.index("Later one")
    auth.post(f"/follow-ups/{later.id}/done", {}, page="/follow-ups")
    assert "Later one" not in client.get("/follow-ups").get_data(as_text=True)
    assert "Later one" in client.get("/follow-ups?done=1").get_data(as_text=True)
    auth.post(f"/follow-ups/{later.id}/reopen", {}, page="/follow-ups")
    assert "Later one" in client.get("/follow-ups").get_data(as_text=True)
    overdue = client.get("/states/?overdue=1").get_data(as_text=True)
    assert "1 state" in overdue and "Cambodia" in overdue


def test_register_flags_conflicts_and_stale_pending_replies(client, auth):
    user = auth.login(Role.STAFF)
    add_request("KHM", user, post="President of the General Assembly", year=2028, status=RequestStatus.AGREED)
    add_request("LAO", user, post="President of the General Assembly", year=2028, status=RequestStatus.AGREED)
    old = add_request("VNM", user, post="ECOSOC seat", year=2027)
    from app.models.types import utcnow

    old.created_at = utcnow() - timedelta(days=45)
    db.session.commit()
    html = client.get("/requests").get_data(as_text=True)
    assert "Conflict:" in html and "Cambodia (for" in html and "Lao People" in html
    assert "reply pending > 30 days" in html


def test_contact_form_validates_email_and_keeps_one_primary(client, auth):
    auth.login(Role.STAFF)
    response = auth.post("/states/KHM/contacts/new", {"name": "Keo Remy", "email": "not-an-email"})
    assert "Invalid email address." in response.get_data(as_text=True)
    auth.post("/states/KHM/contacts/new", {"name": "Keo Remy", "is_primary": "y"})
    auth.post("/states/KHM/contacts/new", {"name": "Second person", "is_primary": "y"})
    from app.models import Contact

    primaries = db.session.scalars(sa.select(Contact.name).where(Contact.is_primary)).all()
    assert primaries == ["Second person"]


def test_status_change_evidence_survives_in_history():
    from tests.conftest import make_user

    user = make_user(Role.STAFF)
    campaign = default_campaign()
    khm = state("KHM")
    change_status(campaign, khm, to_status=SupportStatus.WRITTEN_PLEDGE, expected_version=1, actor=as_actor(user),
                  reason="NV received", evidence=Evidence(pledge_form=PledgeForm.NOTE_VERBALE, note_reference="NV-1",
                                                          note_date=date(2025, 12, 1), conditional=True))
    db.session.commit()
    assert position_for(campaign, khm).conditional is True
    assert position_for(campaign, khm).version == 2
