"""The reconciliation PDF: what was promised against what came, for one decided stage."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.domain.reconciliation import StageReconciliation
from app.pdf.common import CONTENT_WIDTH, build_document, data_table, none_recorded, para
from app.pdf.context import DocumentContext
from app.pdf.translate import Translator


def N_(msgid: str) -> str:
    """Mark a message for extraction; translated where it is shown."""
    return msgid


SECRET_BALLOT_NOTE = N_(
    "The ballot was secret: who voted how cannot be known. The figures bound what happened — at least "
    "this many pledges were not honoured (a pledger may also have been absent) — and each kind of pledge "
    "has a yield between a worst and a best case; the overall yield is votes divided by pledges."
)

MORE_VOTES_NOTE = N_(
    "More votes came than pledges were recorded: much of the support was never logged as a pledge on the "
    "desk, so these yields describe the record more than the pledges."
)


def pct(value: float | None, t: Translator | None = None) -> str:
    if t is not None:
        return t.percent(value)
    return "—" if value is None else f"{value:.0%}"


def render_reconciliation(rec: StageReconciliation, ctx: DocumentContext) -> bytes:
    """The reconciliation as PDF bytes; draws the service's figures and nothing else."""
    f, t = rec.figures, ctx.t
    story: list[Flowable] = [
        para(t.gettext("Reconciliation — %(stage)s", stage=rec.stage_name), "H1"),
        para(t.gettext("%(campaign)s · round %(round)s of %(date)s · %(result)s", campaign=rec.campaign_name,
                       round=rec.round_number, date=t.date(rec.held_on), result=t.label(rec.result)), "Subtitle"),
        data_table([t.gettext("Pledges held"), t.gettext("Votes received"), t.gettext("Present and voting"),
                    t.gettext("Line"), t.gettext("Not honoured, at least")],
                   [[para(v, "CellBold") for v in (f.pledges, f.votes, f.present_and_voting, rec.votes_line,
                                                    f.unhonoured_at_least)]],
                   [CONTENT_WIDTH / 5] * 5),
        Spacer(0, 2 * mm),
        para(_yield_sentence(rec, t), "Body"),
        *([para(t.gettext(MORE_VOTES_NOTE), "Body")] if f.more_votes_than_pledges else []),
        para(t.gettext(SECRET_BALLOT_NOTE), "Muted"),
        para(t.gettext("Yield by evidence type"), "H2"),
        data_table([t.gettext("Kind of pledge"), t.gettext("Held"), t.gettext("Best case"), t.gettext("Worst case")],
                   [[para(t.gettext(r.kind), "Cell"), para(r.pledges, "Cell"), para(pct(r.best, t), "Cell"),
                     para(pct(r.worst, t), "Cell")] for r in f.rows],
                   [70 * mm] + [(CONTENT_WIDTH - 70 * mm) / 3] * 3),
        para(t.gettext("Pledges held when the ballot was held"), "H2"),
    ]
    if rec.holders:
        story.append(data_table([t.gettext("State"), t.gettext("Pledge")],
                                [[para(h.name, "Cell"), para(t.gettext(h.kind), "Cell")] for h in rec.holders],
                                [90 * mm, CONTENT_WIDTH - 90 * mm]))
    else:
        story.append(none_recorded(t))
    return build_document(story, ctx, title=t.gettext("Reconciliation — %(stage)s", stage=rec.stage_name),
                          subject=t.gettext("%(campaign)s: pledges against votes received",
                                            campaign=rec.campaign_name))


def _yield_sentence(rec: StageReconciliation, t: Translator) -> str:
    """The overall yield, the votes expected at ballot time and, when known, their ratio."""
    text = t.gettext("Overall yield (votes ÷ pledges): %(yield)s. Expected at ballot time with the campaign's "
                     "weights: %(expected)s votes", expected=t.number(rec.expected_at_ballot, 1),
                     **{"yield": pct(rec.figures.yield_overall, t)})
    if rec.calibration is None:
        return text + "."
    return text + t.gettext("; received ÷ expected = %(ratio)s.", ratio=t.number(rec.calibration, 2))
