"""Headings kept with the start of what follows them, not with all of it."""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether
from reportlab.platypus.flowables import _listWrapOn


class KeepWithStart(KeepTogether):
    """What the document groups for a heading's keep-with-next, split after the follower's first part.

    ReportLab keeps a heading with everything that follows it: a table shorter than a page but
    longer than the room left moves whole to the next page, leaving most of this one empty. Here
    the heading stays with the follower's first rows; only a follower that cannot split moves
    with its heading.
    """

    def split(self, aW: float, aH: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        content = list(self._content)
        if self._H <= aH or len(content) < 2:
            return content
        *leads, follower = content
        _, lead_height = _listWrapOn(leads, aW, self.canv)
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
