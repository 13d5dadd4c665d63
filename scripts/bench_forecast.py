"""Benchmark of the ballot forecast (20,000 draws × 193 voters), in-process and database-free.

Run with `make bench` (or alone: `.venv/bin/python scripts/bench_forecast.py`); results replace the
block between the forecast markers in docs/benchmarks.md.
"""

from __future__ import annotations

import os
import re
from datetime import date

from bench import ROOT, timed  # also puts the project root on sys.path

START, END = "<!-- bench-forecast:start -->", "<!-- bench-forecast:end -->"
GOAL_MS = 50
LADDER = (0.9, 0.75, 0.5, 0.25, 0.15, 0.15, 0.05, 0.0)  # the default weights, most supportive first


def contested_ballot():
    """193 members on the top five rungs, 97% turnout, no abstention: a ballot near 50/50, where
    the most draws are pivotal and the swing list has the most to re-read."""
    import numpy as np

    from app.domain.forecast_math import Ballot, Split, VoterOdds, ladder_neighbours

    rungs = np.random.default_rng(11).integers(0, 5, 193)
    voters = tuple(
        VoterOdds(f"S{i:03d}", 0.97, LADDER[r], *ladder_neighbours(LADDER, r))
        for i, r in enumerate(rungs)
    )
    return Ballot(voters, "majority", split=Split(rivals=1.0, abstain=0.0))


def naive_swings(ballot) -> None:
    """What the swing list would cost as one full re-simulation per member and move."""
    from app.domain.forecast_math import simulate

    simulate(ballot)
    for i, voter in enumerate(ballot.voters):
        for rung in (voter.p_for_up, voter.p_for_down):
            if rung is not None:
                simulate(ballot.replace_weight(i, rung))


def measure() -> tuple[list[tuple[str, float, float]], str]:
    """Timed rows and a line describing the ballot measured."""
    from app.charts.histogram import histogram_svg
    from app.domain.forecast_math import (
        analyse,
        exact_win_probability,
        simulate,
        swing_list,
    )
    from app.services.forecast_cache import ForecastCache

    ballot = contested_ballot()
    forecast = simulate(ballot)
    moves = sum((v.p_for_up is not None) + (v.p_for_down is not None) for v in ballot.voters)
    cache = ForecastCache()
    cache.analyse(ballot)
    rows = [
        ("simulate: 20,000 draws × 193 voters", *timed(lambda: simulate(ballot), 50)),
        ("swing_list: up and down for 193 voters", *timed(lambda: swing_list(ballot), 30)),
        ("analyse: forecast + swing list, one sample", *timed(lambda: analyse(ballot), 30)),
        ("cache hit (ForecastCache.analyse)", *timed(lambda: cache.analyse(ballot), 30)),
        (
            "exact_win_probability (DP, 193 voters)",
            *timed(lambda: exact_win_probability(ballot), 5),
        ),
        ("histogram SVG", *timed(lambda: histogram_svg(forecast), 15)),
        (f"naive swing list: {moves} full re-simulations", *timed(lambda: naive_swings(ballot), 1)),
    ]
    about = (
        f"majority of those present and voting, 97% turnout, no abstention: "
        f"P = {forecast.probability:.3f} "
        f"± {forecast.standard_error:.3f} (exact {exact_win_probability(ballot):.3f}), "
        f"median {forecast.median_votes} votes, line {forecast.line_interval[0]}–"
        f"{forecast.line_interval[1]}"
    )
    return rows, about


def write(rows: list[tuple[str, float, float]], about: str) -> None:
    """Print the table and put it between the markers in docs/benchmarks.md."""
    simulate_ms = rows[0][1]
    verdict = "met" if simulate_ms < GOAL_MS else "NOT met"
    table = ["| what | median ms | worst ms |", "| --- | ---: | ---: |"]
    table += [f"| {name} | {median:.1f} | {worst:.1f} |" for name, median, worst in rows]
    blas = os.environ.get("OPENBLAS_CORETYPE", "unset")
    heading = (
        f"Measured {date.today().isoformat()} with `scripts/bench_forecast.py` (run by "
        f"`make bench`; 2 cores, shared; OPENBLAS_CORETYPE={blas}, which the forecast does not "
        f"touch: it uses no BLAS). Ballot: {about}. "
        f"Goal: simulate under {GOAL_MS} ms — **{verdict}** ({simulate_ms:.1f} ms)."
    )
    block = "\n".join([START, heading, "", *table, END])
    print(block)
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if START in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), block, text, flags=re.DOTALL)
    else:
        text = text.rstrip() + "\n\n## Ballot forecast (make bench)\n\n" + block + "\n"
    path.write_text(text)


if __name__ == "__main__":
    write(*measure())
