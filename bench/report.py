"""Where the benchmark scripts write their figures: JSON and markdown into bench/results/ (git-ignored)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def results_write(name: str, data: dict, lines: list[str]) -> Path:
    """Write `data` as JSON and `lines` as markdown under a timestamped name, print the lines."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / f"{name}-{dt.datetime.now(dt.UTC).strftime('%Y%m%dT%H%M%S')}"
    stem.with_suffix(".json").write_text(json.dumps(data, indent=2))
    stem.with_suffix(".md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return stem
