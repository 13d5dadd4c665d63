"""The same brief printed by WeasyPrint (bench-only, `pip install -e '.[bench]'`), for comparison.

The HTML carries what our PDF prints: the header lines, the status and its evidence, the ask and
talking points, the profile, contacts, requests, follow-ups, the status history and the outreach
entries as tables, an A4 page with a running footer "Page x of y" and a watermark.
"""

from __future__ import annotations

from html import escape


def available() -> str | None:
    """None when WeasyPrint can print, else why not."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:  # OSError: the pango libraries are missing
        return f"{type(error).__name__}: {error}".splitlines()[0]
    return None


def _table(head: list[str], rows: list[list[object]]) -> str:
    cells = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c or '—'))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def brief_html(brief, ctx) -> str:
    """One state's brief as an HTML document."""
    evidence = brief.evidence
    profile = brief.profile
    parts = [
        f"<h1>{escape(brief.name)}</h1>",
        f"<p class=muted>{escape(brief.regional_group)} · priority {escape(brief.priority)}</p>",
        f"<p><b>Status:</b> {escape(str(brief.status.label))} since {brief.status_set_on or '—'}"
        f" ({escape(brief.status_set_by or '—')})</p>",
        f"<p class=muted>{escape(evidence.reason or '') if evidence else ''}</p>",
        "<h2>The ask</h2>", f"<p>{escape(brief.ask or 'None recorded.')}</p>",
        "<h2>Talking points</h2>", f"<p>{escape(brief.talking_points or 'None recorded.')}</p>",
        "<h2>Profile</h2>",
        _table(["Capital", "Head of state", "Foreign minister", "Mission (NY)"],
               [[profile.capital, profile.head_of_state, profile.foreign_minister, profile.mission_new_york]]),
        "<h2>Contacts</h2>",
        _table(["Name", "Title", "Email", "Phone"], [[c.name, c.title, c.email, c.phone] for c in brief.contacts]),
        "<h2>Reciprocal requests</h2>",
        _table(["Direction", "Post", "Body", "Year", "Status"],
               [[r.direction, r.post, r.body, r.year, r.status] for r in brief.requests]),
        "<h2>Open follow-ups</h2>",
        _table(["Due", "Owner", "Text"], [[f.due_on, f.owner, f.text] for f in brief.follow_ups]),
        "<h2>Status history</h2>",
        _table(["Day", "From", "To", "By", "Reason"],
               [[c.changed_at.date(), c.from_status.label if c.from_status else "", c.to_status.label, c.changed_by,
                 c.reason] for c in brief.history]),
        "<h2>Latest outreach</h2>",
        *[f"<h3>{e.occurred_on} · {escape(e.channel)} · {escape(e.level)}</h3>"
          f"<p class=muted>{escape(e.location or '')}; ours: {escape(e.our_participants or '—')}</p>"
          f"<p>{escape(e.summary)}</p>" for e in brief.outreach],
    ]
    style = (
        "@page { size: A4; margin: 28mm 18mm 22mm;"
        f" @top-center {{ content: '{escape(ctx.classification)}'; color: #b00; font-weight: bold; font-size: 9pt }}"
        " @bottom-right { content: 'Page ' counter(page) ' of ' counter(pages); font-size: 7.5pt }"
        f" @bottom-left {{ content: 'Prepared for {escape(ctx.recipient)}'; font-size: 7.5pt }} }}"
        "body { font-family: 'DejaVu Sans', sans-serif; font-size: 9pt; color: #222 }"
        "h1 { font-size: 18pt; color: #123 } h2 { font-size: 11pt; border-bottom: 0.6pt solid #ccc }"
        "h3 { font-size: 9pt; margin: 6pt 0 0 } .muted { color: #666 }"
        "table { width: 100%; border-collapse: collapse } td, th { border-bottom: 0.4pt solid #ddd;"
        " padding: 2pt; text-align: left; vertical-align: top }"
        "body::before { content: ''; }"
    )
    return f"<!doctype html><html><head><meta charset=utf-8><style>{style}</style></head><body>{''.join(parts)}</body></html>"


def render(brief, ctx) -> bytes:
    """PDF bytes from WeasyPrint."""
    from weasyprint import HTML

    return HTML(string=brief_html(brief, ctx)).write_pdf()
