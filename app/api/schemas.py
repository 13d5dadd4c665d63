"""Marshmallow schemas of the API: what goes out, what comes in; the OpenAPI document is built from them."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from app.api.pagination import PageQuery
from app.domain.enums import (
    BodyKind,
    Channel,
    InterlocutorLevel,
    PledgeForm,
    Priority,
    RegionalGroup,
    RequestDirection,
    RequestStatus,
    StageResult,
    SupportStatus,
    WinningRule,
)

ISO3 = validate.Regexp(r"^[A-Za-z]{3}$", error="An ISO 3166-1 alpha-3 code, such as KHM.")


def no_control_chars(value: str) -> None:
    if any(ord(c) < 32 and c not in "\t\r\n" for c in value):
        raise ValidationError("Remove the invisible control characters.")


def text(maximum: int, **kwargs) -> fields.String:
    """An input string with a length limit and no control characters."""
    return fields.String(validate=[validate.Length(max=maximum), no_control_chars], **kwargs)


def enum(cls, **kwargs) -> fields.Enum:
    return fields.Enum(cls, by_value=True, **kwargs)


class Strict(Schema):
    """Inputs refuse fields they do not know, so a typo is an error, not silently dropped."""

    class Meta:
        unknown = RAISE


# ---- out ---------------------------------------------------------------------------------

class ProfileOut(Schema):
    capital = fields.String()
    head_of_state = fields.String()
    foreign_minister = fields.String()
    mission_geneva = fields.String()
    mission_new_york = fields.String()
    our_embassy = fields.String()
    priority = enum(Priority)
    talking_points = fields.String()
    the_ask = fields.String()
    note = fields.String()
    updated_at = fields.DateTime(attribute="profile_updated_at", allow_none=True)


class StateOut(Schema):
    id = fields.Integer()
    iso3 = fields.String()
    iso2 = fields.String()
    name = fields.String()
    regional_group = enum(RegionalGroup, allow_none=True)
    un_member = fields.Boolean()
    profile = fields.Function(lambda state: ProfileOut().dump(state), metadata={"type": "object"})


class CandidateOut(Schema):
    id = fields.Integer()
    name = fields.String()
    state = fields.Function(lambda c: c.state.iso3 if c.state else None, allow_none=True,
                            metadata={"type": "string"})
    is_ours = fields.Boolean()


class StageOut(Schema):
    id = fields.Integer()
    campaign_id = fields.Integer()
    sequence = fields.Integer()
    name = fields.String()
    body_kind = enum(BodyKind)
    body_label = fields.String()
    regional_group = enum(RegionalGroup, allow_none=True)
    held_on = fields.Date()
    date_provisional = fields.Boolean()
    winning_rule = enum(WinningRule)
    expected_turnout = fields.Integer(allow_none=True)
    seats = fields.Integer()
    result = enum(StageResult)
    candidates = fields.List(fields.Nested(CandidateOut))


class CampaignOut(Schema):
    id = fields.Integer()
    name = fields.String()
    office = fields.String()
    candidate_name = fields.String()
    candidate_state = fields.Function(lambda c: c.candidate_state.iso3, metadata={"type": "string"})
    is_default = fields.Boolean()
    archived_at = fields.DateTime(allow_none=True)
    outcome = fields.Function(lambda c: c.outcome.value, metadata={"type": "string"})
    current_stage_id = fields.Function(lambda c: c.current_stage.id if c.current_stage else None,
                                       allow_none=True, metadata={"type": "integer"})
    stages = fields.List(fields.Nested(StageOut))


class StatusCount(Schema):
    status = enum(SupportStatus)
    count = fields.Integer()


class TallyOut(Schema):
    stage_id = fields.Integer()
    campaign_id = fields.Integer()
    electorate = fields.Integer(metadata={"description": "States voting in the stage."})
    turnout = fields.Integer(metadata={"description": "Members expected (or recorded) present and voting."})
    rule = enum(WinningRule)
    votes_needed = fields.Integer()
    firm = fields.Integer(metadata={"description": "Pledges (verbal or written) among the electorate."})
    conditional_pledges = fields.Integer()
    expected = fields.Float(metadata={"description": "Expected votes: each status weighted by its probability."})
    firm_gap = fields.Integer()
    expected_gap = fields.Float()
    formula = fields.String()
    counts = fields.List(fields.Nested(StatusCount))
    forecast = fields.Nested(
        lambda: ForecastOut(), allow_none=True,
        metadata={"description": "Chance of winning (Monte Carlo); null when the stage is decided."})


class ForecastOut(Schema):
    probability = fields.Float(metadata={"description": "Chance of reaching the line, 0 to 1."})
    standard_error = fields.Float(metadata={"description": "Monte Carlo standard error of the probability."})
    median_votes = fields.Float()
    interval_low = fields.Float(metadata={"description": "10th percentile of our votes."})
    interval_high = fields.Float(metadata={"description": "90th percentile of our votes."})
    expected_line = fields.Float()
    draws = fields.Integer()


class StatusChangeOut(Schema):
    id = fields.Integer()
    from_status = enum(SupportStatus)
    to_status = enum(SupportStatus)
    effective_on = fields.Date()
    changed_at = fields.DateTime()
    reason = fields.String()
    outreach_id = fields.Integer(allow_none=True)
    conditional = fields.Boolean()
    source_level = enum(InterlocutorLevel, allow_none=True)
    pledge_form = enum(PledgeForm, allow_none=True)
    note_reference = fields.String()
    note_date = fields.Date(allow_none=True)


class PositionOut(Schema):
    id = fields.Integer()
    campaign_id = fields.Integer()
    state = fields.Function(lambda p: p.state.iso3, metadata={"type": "string"})
    status = enum(SupportStatus)
    conditional = fields.Boolean()
    version = fields.Integer(metadata={"description": "Send it back as expected_version to change the status."})
    updated_at = fields.DateTime(allow_none=True)
    history = fields.List(fields.Nested(StatusChangeOut), metadata={"description": "Oldest first."})


class OutreachOut(Schema):
    id = fields.Integer()
    occurred_on = fields.Date()
    channel = enum(Channel)
    level = enum(InterlocutorLevel)
    location = fields.String()
    our_participants = fields.String()
    their_participants = fields.String()
    summary = fields.String()
    states = fields.Function(lambda e: [s.iso3 for s in e.states],
                             metadata={"type": "array", "items": {"type": "string"}})
    campaign_ids = fields.Function(lambda e: [c.id for c in e.campaigns],
                                   metadata={"type": "array", "items": {"type": "integer"}})
    contact_ids = fields.Function(lambda e: sorted(c.id for c in e.contacts),
                                  metadata={"type": "array", "items": {"type": "integer"}})
    author_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime(allow_none=True)


class RecordedOutreachOut(OutreachOut):
    status_changes = fields.List(fields.Nested(StatusChangeOut))


class FollowUpOut(Schema):
    id = fields.Integer()
    campaign_id = fields.Integer()
    state = fields.Function(lambda f: f.state.iso3, metadata={"type": "string"})
    text = fields.String()
    due_on = fields.Date()
    owner_id = fields.Integer(allow_none=True)
    outreach_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    done_at = fields.DateTime(allow_none=True)


class ContactOut(Schema):
    id = fields.Integer()
    state = fields.Function(lambda c: c.state.iso3, metadata={"type": "string"})
    name = fields.String()
    title = fields.String()
    organisation = fields.String()
    email = fields.String()
    phone = fields.String()
    notes = fields.String()
    is_primary = fields.Boolean()


class RequestOut(Schema):
    id = fields.Integer()
    campaign_id = fields.Integer()
    state = fields.Function(lambda r: r.state.iso3, metadata={"type": "string"})
    direction = enum(RequestDirection)
    body = fields.String()
    post = fields.String()
    year = fields.Integer()
    status = enum(RequestStatus)
    notes = fields.String()
    created_at = fields.DateTime()


def _page(name: str, item: type[Schema]) -> type[Schema]:
    return type(name, (Schema,), {
        "items": fields.List(fields.Nested(item)),
        "next_cursor": fields.String(
            allow_none=True, metadata={"description": "Pass as cursor for the next page; null on the last."}),
    })


StatePage = _page("StatePage", StateOut)
CampaignPage = _page("CampaignPage", CampaignOut)
PositionPage = _page("PositionPage", PositionOut)
OutreachPage = _page("OutreachPage", OutreachOut)
FollowUpPage = _page("FollowUpPage", FollowUpOut)
ContactPage = _page("ContactPage", ContactOut)
RequestPage = _page("RequestPage", RequestOut)


class ProblemField(Schema):
    location = fields.String(metadata={"description": "json, query or path"})
    field = fields.String()
    detail = fields.String()


class Problem(Schema):
    """RFC 9457 problem details."""

    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    errors = fields.List(fields.Nested(ProblemField))
    current_status = enum(SupportStatus, metadata={"description": "On a status conflict (409): the status now."})
    current_version = fields.Integer(metadata={"description": "On a status conflict (409): the version now."})


# ---- in: filters -------------------------------------------------------------------------

class StateQuery(PageQuery):
    regional_group = enum(RegionalGroup)


class CampaignFilter(PageQuery):
    campaign_id = fields.Integer(validate=validate.Range(1, 2**31 - 1))
    state = fields.String(validate=ISO3, metadata={"description": "ISO3 code"})


class DatedFilter(CampaignFilter):
    since = fields.Date(metadata={"description": "On or after this day (ISO 8601)."})
    until = fields.Date(metadata={"description": "On or before this day (ISO 8601)."})


class FollowUpFilter(DatedFilter):
    open = fields.Boolean(metadata={"description": "true: open only; false: done only."})


class ContactFilter(PageQuery):
    state = fields.String(validate=ISO3)


# ---- in: writes --------------------------------------------------------------------------

class EvidenceIn(Strict):
    source_level = enum(InterlocutorLevel, allow_none=True)
    pledge_form = enum(PledgeForm, allow_none=True)
    note_reference = text(120, load_default="")
    note_date = fields.Date(allow_none=True)
    conditional = fields.Boolean(load_default=False)


class StatusChangeIn(Strict):
    campaign_id = fields.Integer(required=True, validate=validate.Range(1, 2**31 - 1))
    state = fields.String(required=True, validate=ISO3)
    to_status = enum(SupportStatus, required=True)
    expected_version = fields.Integer(required=True, validate=validate.Range(1, 2**31 - 1), metadata={
        "description": "The position's version when you read it; a newer one means someone changed it (409)."})
    reason = text(2000, load_default="")
    evidence = fields.Nested(EvidenceIn, load_default=None, allow_none=True)


class OutreachIn(Strict):
    occurred_on = fields.Date(required=True)
    channel = enum(Channel, required=True)
    level = enum(InterlocutorLevel, required=True)
    summary = text(100_000, required=True)
    location = text(200, load_default="")
    our_participants = text(10_000, load_default="")
    their_participants = text(10_000, load_default="")
    states = fields.List(fields.String(validate=ISO3), required=True, validate=validate.Length(1, 50))
    campaign_ids = fields.List(fields.Integer(validate=validate.Range(1, 2**31 - 1)), required=True,
                               validate=validate.Length(1, 20))
    contact_ids = fields.List(fields.Integer(validate=validate.Range(1, 2**31 - 1)), load_default=list,
                              validate=validate.Length(max=100))
    status_changes = fields.List(fields.Nested(StatusChangeIn), load_default=list, validate=validate.Length(max=50))


class FollowUpIn(Strict):
    campaign_id = fields.Integer(required=True, validate=validate.Range(1, 2**31 - 1))
    state = fields.String(required=True, validate=ISO3)
    text = fields.String(required=True, validate=[validate.Length(1, 10_000), no_control_chars])
    due_on = fields.Date(required=True)
    owner_id = fields.Integer(allow_none=True, validate=validate.Range(1, 2**31 - 1),
                              metadata={"description": "Defaults to the token's user."})
    outreach_id = fields.Integer(allow_none=True, validate=validate.Range(1, 2**31 - 1))


class ContactIn(Strict):
    state = fields.String(required=True, validate=ISO3)
    name = fields.String(required=True, validate=[validate.Length(1, 200), no_control_chars])
    title = text(200, load_default="")
    organisation = text(200, load_default="")
    email = fields.String(load_default="", validate=[validate.Length(max=254), no_control_chars])
    phone = text(60, load_default="")
    notes = text(100_000, load_default="")
    is_primary = fields.Boolean(load_default=False)
