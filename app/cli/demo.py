"""Demo data: real events from the source articles and clearly labelled sample users."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from app.domain import clock
from app.domain.enums import (
    Channel,
    InterlocutorLevel,
    PledgeForm,
    RequestDirection,
    RequestStatus,
    Role,
    SupportStatus,
)
from app.extensions import db
from app.models import Campaign, OutreachEntry, State, User
from app.services import accounts
from app.services.audit import command_line
from app.services.campaigns import reopened
from app.services.contacts import ContactInput, save_contact
from app.services.followups import add_follow_up
from app.services.outreach import OutreachInput, record_outreach
from app.services.reference import PRESIDENCY_CAMPAIGN, SECURITY_COUNCIL_CAMPAIGN
from app.services.requests import RequestInput, save_request
from app.services.status import Evidence, change_status, position_for

SAMPLE_USERS = (
    ("demo-admin@suara.local", "Sample admin (demo)", Role.ADMIN),
    ("demo-staff@suara.local", "Sample staff member (demo)", Role.STAFF),
    ("demo-envoy@suara.local", "Sample envoy (demo)", Role.ENVOY),
    ("demo-leadership@suara.local", "Sample leadership member (demo)", Role.LEADERSHIP),
)
ASEAN = ("BRN", "KHM", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM")
PROFILES = {
    "KHM": {"capital": "Phnom Penh", "priority": "high",
            "the_ask": "Support for Indonesia's candidate for President of the Human Rights Council (2026)."},
    "RUS": {"capital": "Moscow", "foreign_minister": "Sergey Lavrov (Сергей Лавров)",
            "the_ask": "Support for Indonesia's candidate for President of the Human Rights Council (2026)."},
    "LAO": {"capital": "Vientiane", "priority": "high"},
    "VNM": {"capital": "Hanoi", "priority": "high"},
}


def _states(*codes: str) -> dict[str, State]:
    return {s.iso3: s for s in db.session.scalars(sa.select(State).where(State.iso3.in_(codes)))}


def _users() -> tuple[dict[Role, User], list[str]]:
    lines, users = [], {}
    for email, name, role in SAMPLE_USERS:
        user = accounts.find_user_by_email(email)
        if user is None:
            password = accounts.generate_password()
            user = accounts.create_user(email, name, role, password, actor=command_line(),
                                        locale=current_app.config["DEFAULT_LOCALE"])
            lines.append(_("Sample user %(email)s (%(role)s) password: %(password)s", email=email,
                           role=role.label, password=password))
        users[role] = user
    accounts.set_assignments(users[Role.ENVOY], ["KHM", "LAO", "VNM"])
    return users, lines


def _profiles(states: dict[str, State]) -> None:
    from app.domain.enums import Priority

    for iso3, values in PROFILES.items():
        for key, value in values.items():
            setattr(states[iso3], key, Priority(value) if key == "priority" else value)


def _entry(campaign, staff, codes, states, **fields) -> OutreachEntry:
    data = OutreachInput(state_ids=[states[c].id for c in codes], campaign_ids=[campaign.id], **fields)
    return record_outreach(data, command_line(staff))


def _campaign(name: str) -> Campaign | None:
    return db.session.scalar(sa.select(Campaign).where(Campaign.name == name))


def load_demo(only_if_empty: bool = False) -> list[str]:
    """Load the demo; with only_if_empty, do nothing once any outreach exists."""
    presidency, council = _campaign(PRESIDENCY_CAMPAIGN), _campaign(SECURITY_COUNCIL_CAMPAIGN)
    if presidency is None or council is None:
        return [_("The seeded campaigns are missing: run `flask --app app seed` first.")]
    if only_if_empty and db.session.scalar(sa.select(OutreachEntry.id).limit(1)) is not None:
        return [_("Demo data already present (outreach exists); nothing loaded.")]
    # The presidency is decided and archived: its history is written as it happened, then closed again.
    with reopened(presidency):
        lines = _presidency_history(presidency)
    _council_start(council)
    db.session.flush()
    return lines + [_("Demo data loaded: 4 outreach entries, 5 status changes, 2 follow-ups, 1 reciprocal request.")]


def _council_start(council: Campaign) -> None:
    """The Security Council campaign: our own vote, and the forum invitation still to send."""
    staff = accounts.find_user_by_email("demo-staff@suara.local")
    assert staff is not None  # the demo accounts are created first
    states = _states("IDN", "KHM")
    change_status(council, states["IDN"], to_status=SupportStatus.WRITTEN_PLEDGE,
                  expected_version=position_for(council, states["IDN"]).version, actor=command_line(staff),
                  reason="Our own vote as candidate state.", effective_on=date(2024, 9, 28),
                  evidence=Evidence(pledge_form=PledgeForm.NOTE_VERBALE, note_reference="(own candidature)"))
    add_follow_up(
        council,
        states["KHM"],
        text="Send the CHRC the invitation to the Asia-Pacific high-level human rights forum.",
        due_on=clock.today() + timedelta(days=14),
        owner=staff,
        actor=command_line(staff),
    )


def _presidency_history(campaign: Campaign) -> list[str]:
    """The presidency campaign's outreach, from the source articles."""
    users, lines = _users()
    staff = users[Role.STAFF]
    states = _states("KHM", "RUS", "IDN", "LAO", "VNM", *ASEAN)
    _profiles(states)
    keo = save_contact(states["KHM"], ContactInput(
        name="Keo Remy", title="Senior Minister; Chairman",
        organisation="Cambodian Human Rights Committee (CHRC)", is_primary=True), command_line(staff))
    rinat = save_contact(states["RUS"], ContactInput(
        name="Rinat Alyautdinov", title="Director, Humanitarian Cooperation and Human Rights",
        organisation="Ministry of Foreign Affairs of the Russian Federation", is_primary=True), command_line(staff))
    lavrov = save_contact(states["RUS"], ContactInput(
        name="Sergey Lavrov (Сергей Лавров)", title="Minister of Foreign Affairs",
        organisation="Ministry of Foreign Affairs of the Russian Federation"), command_line(staff))

    _entry(campaign, staff, ASEAN + ("RUS",), states, occurred_on=date(2021, 7, 6), channel=Channel.VIRTUAL,
           level=InterlocutorLevel.MINISTER, location="Jakarta (virtual)",
           our_participants="Retno Marsudi, Minister for Foreign Affairs (co-chair)",
           their_participants="ASEAN foreign ministers",
           summary="Special ASEAN–Russia Foreign Ministers' Meeting, 25th year of the partnership. "
                   "Indonesia pressed for vaccine dose-sharing, priority for ASEAN and joint production, "
                   "support for the COVAX Facility, and Russian support for ASEAN centrality and the "
                   "Five-Point Consensus on Myanmar.",
           contact_ids=[lavrov.id])
    _entry(campaign, staff, ("RUS",), states, occurred_on=date(2021, 7, 6), channel=Channel.IN_PERSON,
           level=InterlocutorLevel.MINISTER, location="Jakarta",
           our_participants="Retno Marsudi, Minister for Foreign Affairs",
           their_participants="",
           summary="Bilateral meeting at the Ministry of Foreign Affairs, Gedung Pancasila: finalised the "
                   "health MoU on COVID-19 vaccine production; discussed the proposed visit of President "
                   "Putin, a strategic partnership agreement, trade, education and cyber security.",
           contact_ids=[lavrov.id])
    # Held on 15 October 2021; the ministry reported it on 20 October.
    dialogue = _entry(campaign, staff, ("RUS",), states, occurred_on=date(2021, 10, 15),
                      channel=Channel.VIRTUAL, level=InterlocutorLevel.SENIOR_OFFICIAL, location="Hybrid",
                      our_participants="Achsanul Habib, Director for Human Rights and Humanitarian Affairs",
                      their_participants="",
                      summary="11th Indonesia–Russia bilateral human rights dialogue (hybrid). Both members of "
                              "the Human Rights Council agreed to keep its work inclusive, without "
                              "politicisation or double standards, and to balance civil and political with "
                              "economic, social and cultural rights. Next round to be hosted in Moscow.",
                      contact_ids=[rinat.id])
    change_status(campaign, states["RUS"], to_status=SupportStatus.APPROACHED,
                  expected_version=position_for(campaign, states["RUS"]).version, actor=command_line(staff),
                  reason="Regular bilateral human rights dialogue; Council cooperation discussed.",
                  effective_on=dialogue.occurred_on, outreach_id=dialogue.id,
                  evidence=Evidence(source_level=InterlocutorLevel.SENIOR_OFFICIAL))
    phnom_penh = _entry(campaign, staff, ("KHM",), states, occurred_on=date(2025, 11, 24),
                        channel=Channel.IN_PERSON, level=InterlocutorLevel.MINISTER, location="Phnom Penh",
                        our_participants="Natalius Pigai, Minister of Human Rights",
                        their_participants="",
                        summary="Bilateral meeting. Indonesia presented the Asia-Pacific high-level human "
                                "rights forum planned for 2026 and asked for Cambodia's participation, and "
                                "asked Cambodia to support Indonesia's bid for the presidency of the Human "
                                "Rights Council in 2026. Protection of migrant workers in both countries and "
                                "capacity building were discussed. Cambodia responded positively.",
                        contact_ids=[keo.id])
    position = position_for(campaign, states["KHM"])
    change_status(
        campaign,
        states["KHM"],
        to_status=SupportStatus.APPROACHED,
        expected_version=position.version,
        actor=command_line(staff),
        reason="Support requested at ministerial level.",
        effective_on=phnom_penh.occurred_on,
        outreach_id=phnom_penh.id,
        evidence=Evidence(source_level=InterlocutorLevel.MINISTER),
    )
    change_status(campaign, states["KHM"], to_status=SupportStatus.LEANING_FOR,
                  expected_version=position_for(campaign, states["KHM"]).version, actor=command_line(staff),
                  reason="Keo Remy responded positively to all of Indonesia's initiatives; no explicit pledge yet.",
                  effective_on=phnom_penh.occurred_on, outreach_id=phnom_penh.id,
                  evidence=Evidence(source_level=InterlocutorLevel.MINISTER, pledge_form=PledgeForm.VERBAL_MEETING))
    change_status(campaign, states["IDN"], to_status=SupportStatus.WRITTEN_PLEDGE,
                  expected_version=position_for(campaign, states["IDN"]).version, actor=command_line(staff),
                  reason="Our own vote as candidate state.", effective_on=date(2025, 11, 1),
                  evidence=Evidence(pledge_form=PledgeForm.NOTE_VERBALE, note_reference="(own candidature)"))
    add_follow_up(
        campaign,
        states["KHM"],
        text="Send a note verbale asking Cambodia to confirm its support in writing.",
        due_on=date(2025, 12, 5),
        owner=users[Role.ENVOY],
        actor=command_line(staff),
        outreach_id=phnom_penh.id,
    )
    save_request(
        states["KHM"],
        RequestInput(
            direction=RequestDirection.WE_ASK_THEM,
            body="Asia-Pacific high-level human rights forum",
            post="Participation and support",
            year=2026,
            status=RequestStatus.PENDING,
            notes="Asked by the Minister of Human Rights in Phnom Penh on 24 November 2025.",
            campaign_id=campaign.id,
        ),
        command_line(staff),
    )
    return lines
