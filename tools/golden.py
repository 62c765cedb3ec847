"""Capture the JSON of the sample report, the real-data reports and every README-tour command's
``--json`` into a folder, so a restructure can be checked to change nothing.

Usage::

    python tools/golden.py OUT_DIR [--data-dir ../shared/data]
    python tools/golden.py --compare BEFORE_DIR AFTER_DIR

``generated_at`` (and anything under a key named so) is blanked before writing. Each file is
pretty-printed JSON with sorted keys, so ``diff -r`` shows a change line by line.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import sys
import tempfile
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from rotascope.cli.main import app

ROOT = Path(__file__).resolve().parents[1]
REPORTS = {
    "report-sample": ["report", "--universe", "sample", "-f", "json", "-o", "-"],
    "report-us-2024-07-17": ["report", "--universe", "us", "--data-dir", "{data}",
                             "--as-of", "2024-07-17", "-f", "json", "-o", "-"],
    "report-us-2025-09-24": ["report", "--universe", "us", "--data-dir", "{data}",
                             "--as-of", "2025-09-24", "-f", "json", "-o", "-"],
}
NO_JSON = ("data ", "universe ", "report ")


def scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: ("<generated_at>" if k == "generated_at" else scrub(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


def tour_commands() -> list[list[str]]:
    """Every README tour line that takes --json, with --json added when it lacks it."""
    out, inside = [], False
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            inside = not inside
            continue
        if not (inside and line.startswith("rotascope ")) or re.search(r"#\s*network\b", line):
            continue
        args = shlex.split(re.split(r"\s+#\s", line, maxsplit=1)[0])[1:]
        out.append(args)
    return out


def run(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, args, env=env)
    return result.exit_code, result.stdout


def capture(out_dir: Path, data_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        checkout = Path(tmp) / "rotascope"
        checkout.mkdir()
        (Path(tmp) / "shared").mkdir()
        (Path(tmp) / "shared" / "data").symlink_to(data_dir.resolve(), target_is_directory=True)
        env = {"COLUMNS": "120", "ROTASCOPE_HOME": str(Path(tmp) / "home")}
        os.chdir(checkout)
        for name, args in REPORTS.items():
            code, text = run([a.replace("{data}", str(data_dir.resolve())) for a in args], env)
            write(out_dir / f"{name}.json", code, text)
        for number, args in enumerate(tour_commands(), start=1):
            line = " ".join(args)
            if any(line.startswith(p) for p in NO_JSON):
                run(args, env)  # keeps the store as the tour builds it
                continue
            if "--json" not in args:
                args = [*args, "--json"]
            slug = re.sub(r"[^a-z0-9]+", "-", " ".join(args[:3]).lower()).strip("-")
            code, text = run(args, env)
            write(out_dir / f"tour-{number:02d}-{slug}.json", code, text)


def write(path: Path, code: int, text: str) -> None:
    try:
        body: Any = scrub(json.loads(text))
    except json.JSONDecodeError:
        body = {"not_json": text}
    path.write_text(json.dumps({"exit_code": code, "output": body}, indent=1, sort_keys=True,
                               allow_nan=False) + "\n", encoding="utf-8")


def compare(before: Path, after: Path) -> int:
    names = sorted({p.name for p in before.glob("*.json")} | {p.name for p in after.glob("*.json")})
    bad = 0
    for name in names:
        a, b = before / name, after / name
        if not (a.exists() and b.exists()):
            print(f"{name}: only in {'before' if a.exists() else 'after'}")
            bad += 1
        elif a.read_bytes() != b.read_bytes():
            print(f"{name}: differs")
            bad += 1
    print(f"{len(names) - bad} of {len(names)} identical")
    return 1 if bad else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, nargs="?")
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--compare", nargs=2, type=Path)
    ns = parser.parse_args()
    if ns.compare:
        return compare(*ns.compare)
    capture(ns.out.resolve(), ns.data_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
