"""Headings kept with the start of what follows them, not with all of it."""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether


class KeepWithStart(KeepTogether):
    """What the document groups for a heading's keep-with-next, split after the follower's first part.

    ReportLab keeps a heading with everything that follows it: a table shorter than a page but
    longer than the room left moves whole to the next page, leaving most of this one empty. Here
    the heading stays with the follower's first rows; only a follower that cannot split moves
    with its heading.
    """

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        """As KeepTogether's, without copying the document's frame for each group (`_stack`)."""
        dims: list[tuple[float, float]] = []
        width, self._H = _stack(self._content, aW, self.canv, dims)
        self._H0 = dims[0][1] if dims else 0
        self._wrapInfo = aW, aH
        return width, 0xFFFFFF  # as KeepTogether: always asked to split, which places the content

    def split(self, aW: float, aH: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        content = list(self._content)
        if self._H <= aH or len(content) < 2:
            return content
        *leads, follower = content
        _, lead_height = _stack(leads, aW, self.canv)
        room = aH - lead_height - leads[-1].getSpaceAfter() - follower.getSpaceBefore()
        if room > 0 and not isinstance(follower, KeepTogether):
            follower.wrapOn(self.canv, aW, room)
            parts = follower.split(aW, room)
            if parts:
                return [*leads, *parts]
        frame = getattr(self, "_frame", None)
        if frame is not None and getattr(frame, "_atTop", False):
            return content  # a fresh page cannot do better: let the follower break as it can
        return [self.FrameBreak(), *content]


def _stack(flowables: list[Flowable], width: float, canv, dims: list | None = None) -> tuple[float, float]:
    """Width and height of flowables one above the other, spaces merged as a frame merges them.

    ReportLab's `_listWrapOn` does the same after a deep copy of the frame, kept for flowables that
    generate content as they are laid out (indexes); these documents have none, and the copy was a
    twentieth of a brief's time.
    """
    widest = height = space_after = 0.0
    first = True
    for flowable in flowables:
        w, h = flowable.wrapOn(canv, width, 0xFFFFFFF)
        if dims is not None:
            dims.append((w, h))
        if h <= 1e-6:
            continue
        widest, height = max(widest, min(w, width)), height + h
        if not first:
            height += max(flowable.getSpaceBefore() - space_after, 0)
        first = False
        space_after = flowable.getSpaceAfter()
        height += space_after
    return widest, height - space_after
