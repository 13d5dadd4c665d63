"""The reconciliation PDF: what was promised against what came, for one decided stage."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.pdf.brief_data import DocumentContext
from app.pdf.common import CONTENT_WIDTH, build_document, data_table, fmt_date, none_recorded, para

if TYPE_CHECKING:
    from app.services.reconciliation import StageReconciliation

SECRET_BALLOT_NOTE = (
    "The ballot was secret: who voted how cannot be known. The figures bound what happened — at least "
    "this many pledges were not honoured (a pledger may also have been absent) — and each kind of pledge "
    "has a yield between a worst and a best case; the overall yield is votes divided by pledges."
)

MORE_VOTES_NOTE = (
    "More votes came than pledges were recorded: much of the support was never logged as a pledge on the "
    "desk, so these yields describe the record more than the pledges."
)


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def render_reconciliation(rec: StageReconciliation, ctx: DocumentContext) -> bytes:
    """The reconciliation as PDF bytes; draws the service's figures and nothing else."""
    f = rec.figures
    story: list[Flowable] = [
        para(f"Reconciliation — {rec.stage_name}", "H1"),
        para(f"{rec.campaign_name} · round {rec.round_number} of {fmt_date(rec.held_on)} · {rec.result.label}",
             "Subtitle"),
        data_table(["Pledges held", "Votes received", "Present and voting", "Line", "Not honoured, at least"],
                   [[para(v, "CellBold") for v in (f.pledges, f.votes, f.present_and_voting, rec.votes_line,
                                                    f.unhonoured_at_least)]],
                   [CONTENT_WIDTH / 5] * 5),
        Spacer(0, 2 * mm),
        para(f"Overall yield (votes ÷ pledges): {pct(f.yield_overall)}. Expected at ballot time with the "
             f"campaign's weights: {rec.expected_at_ballot:.1f} votes"
             + (f"; received ÷ expected = {rec.calibration:.2f}." if rec.calibration is not None else "."), "Body"),
        *([para(MORE_VOTES_NOTE, "Body")] if f.more_votes_than_pledges else []),
        para(SECRET_BALLOT_NOTE, "Muted"),
        para("Yield by evidence type", "H2"),
        data_table(["Kind of pledge", "Held", "Best case", "Worst case"],
                   [[para(r.kind, "Cell"), para(r.pledges, "Cell"), para(pct(r.best), "Cell"),
                     para(pct(r.worst), "Cell")] for r in f.rows],
                   [70 * mm] + [(CONTENT_WIDTH - 70 * mm) / 3] * 3),
        para("Pledges held when the ballot was held", "H2"),
    ]
    if rec.holders:
        story.append(data_table(["State", "Pledge"], [[para(h.name, "Cell"), para(h.kind, "Cell")] for h in rec.holders],
                                [90 * mm, CONTENT_WIDTH - 90 * mm]))
    else:
        story.append(none_recorded())
    return build_document(story, ctx, title=f"Reconciliation — {rec.stage_name}",
                          subject=f"{rec.campaign_name}: pledges against votes received")
