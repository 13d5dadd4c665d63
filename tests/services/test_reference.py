"""Reference data: 195 states in the right groups, the Council terms, the two seeded campaigns."""

from collections import Counter
from datetime import date

import sqlalchemy as sa

from app.domain.enums import (
    BodyKind,
    CampaignOutcome,
    RegionalGroup,
    RoundOutcome,
    StageResult,
    WinningRule,
)
from app.extensions import db
from app.models import Campaign, Membership, Position, State
from app.services.campaigns import default_campaign
from app.services.reference import (
    PRESIDENCY_CAMPAIGN,
    SECURITY_COUNCIL_CAMPAIGN,
    seed_reference_data,
)
from app.services.stages import electorate, verdict
from app.services.tally import stage_tally


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


def _campaign(name: str) -> Campaign:
    return db.session.scalar(sa.select(Campaign).where(Campaign.name == name))


def test_security_council_campaign_is_the_live_default_with_193_voters_and_129_needed():
    campaign = default_campaign()
    assert campaign.name == SECURITY_COUNCIL_CAMPAIGN and not campaign.is_archived
    assert campaign.outcome is CampaignOutcome.LIVE and campaign.candidate_state.iso3 == "IDN"
    [stage] = campaign.stages
    assert stage.body_kind is BodyKind.GENERAL_ASSEMBLY and stage.winning_rule is WinningRule.TWO_THIRDS
    assert stage.date_provisional and stage.held_on.year == 2028 and stage.rivals == []
    tally = stage_tally(stage)
    assert (tally.electorate, tally.turnout, tally.votes_needed) == (193, 193, 129)
    assert "193" in stage.source and campaign.source


def test_presidency_campaign_is_won_archived_with_its_group_ballot_recorded():
    campaign = _campaign(PRESIDENCY_CAMPAIGN)
    assert campaign.is_archived and campaign.outcome is CampaignOutcome.WON
    assert campaign.candidate_name == "Sidharto Reza Suryodipuro"
    group, council = campaign.stages
    assert (group.held_on, council.held_on) == (date(2025, 12, 23), date(2026, 1, 8))
    assert group.regional_group is RegionalGroup.APG and group.result is StageResult.ELECTED
    [ballot] = group.rounds
    assert (ballot.present, ballot.abstentions, ballot.invalid, ballot.present_and_voting) == (47, 4, 2, 41)
    assert sorted(v.votes for v in ballot.votes) == [7, 34]
    judged = verdict(group, ballot)
    assert judged.line == 21 and judged.outcome is RoundOutcome.ELECTED
    assert "Antara" in ballot.source
    assert council.result is StageResult.ELECTED and "acclamation" in council.result_note
    voters = electorate(council)
    assert len(voters.ids) == 47 and not voters.warning
    groups = Counter(
        s.regional_group.value for s in db.session.scalars(sa.select(State).where(State.id.in_(voters.ids)))
    )
    assert groups == {"AFRICAN": 13, "APG": 13, "GRULAC": 8, "WEOG": 7, "EEG": 6}


def test_council_electorates_from_2023_to_2028_are_complete_or_flagged():
    campaign = _campaign(PRESIDENCY_CAMPAIGN)
    council = campaign.stages[1]
    sizes = {}
    for year in range(2023, 2029):
        council.held_on = date(year, 6, 1)
        found = electorate(council)
        sizes[year] = len(found.ids)
        # Never a short electorate without a warning.
        assert (len(found.ids) < 47) == bool(found.warning), year
    db.session.rollback()
    assert sizes[2025] == sizes[2026] == 47
    assert sizes[2023] == 14 and sizes[2027] == 32


def test_seeding_again_changes_nothing():
    before = [
        db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (State, Membership, Campaign, Position)
    ]
    report = seed_reference_data()
    db.session.commit()
    after = [
        db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (State, Membership, Campaign, Position)
    ]
    assert before == after
    assert (report.states_added, report.memberships_added, report.campaigns_added) == (0, 0, 0)


def test_seeding_keeps_profiles_staff_wrote():
    khm = db.session.scalar(sa.select(State).where(State.iso3 == "KHM"))
    khm.capital = "Phnom Penh"
    db.session.commit()
    seed_reference_data()
    db.session.commit()
    assert db.session.scalar(sa.select(State.capital).where(State.iso3 == "KHM")) == "Phnom Penh"
