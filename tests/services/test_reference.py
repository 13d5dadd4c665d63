"""Reference data: 195 states in the right groups, the Council, the default campaign."""

from collections import Counter

import sqlalchemy as sa

from app.extensions import db
from app.models import Campaign, Membership, Position, State
from app.models.enums import RegionalGroup
from app.services.campaigns import active_campaign, electorate_states
from app.services.reference import seed_reference_data
from app.services.tally_math import votes_needed


def test_all_states_with_their_groups():
    states = db.session.scalars(sa.select(State)).all()
    assert len(states) == 195
    members = [s for s in states if s.un_member]
    assert len(members) == 193
    groups = Counter(s.regional_group for s in members)
    assert groups == {
        RegionalGroup.AFRICAN: 54, RegionalGroup.APG: 54, RegionalGroup.EEG: 23,
        RegionalGroup.GRULAC: 33, RegionalGroup.WEOG: 29,  # 28 + the USA
    }
    by_code = {s.iso3: s for s in states}
    assert by_code["TUR"].name == "Türkiye" and by_code["TUR"].regional_group is RegionalGroup.WEOG
    assert by_code["VAT"].regional_group is None and not by_code["VAT"].un_member
    assert by_code["PSE"].regional_group is RegionalGroup.APG and not by_code["PSE"].un_member


def test_default_campaign_has_47_voters_and_needs_24():
    campaign = active_campaign()
    assert campaign.name == "President of the Human Rights Council — 2026 cycle"
    assert campaign.candidate_state.iso3 == "IDN"
    assert campaign.group_in_turn is RegionalGroup.APG
    voters = electorate_states(campaign)
    assert len(voters) == 47
    assert Counter(s.regional_group.value for s in voters) == {
        "AFRICAN": 13, "APG": 13, "GRULAC": 8, "WEOG": 7, "EEG": 6,
    }
    assert votes_needed(campaign.winning_rule, campaign.expected_turnout) == 24


def test_seeding_again_changes_nothing():
    before = [db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (State, Membership, Campaign, Position)]
    report = seed_reference_data()
    db.session.commit()
    after = [db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (State, Membership, Campaign, Position)]
    assert before == after
    assert (report.states_added, report.memberships_added, report.campaigns_added) == (0, 0, 0)


def test_seeding_keeps_profiles_staff_wrote():
    khm = db.session.scalar(sa.select(State).where(State.iso3 == "KHM"))
    khm.capital = "Phnom Penh"
    db.session.commit()
    seed_reference_data()
    db.session.commit()
    assert db.session.scalar(sa.select(State.capital).where(State.iso3 == "KHM")) == "Phnom Penh"
