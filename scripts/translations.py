"""Catalogue upkeep: extract messages, update each catalogue, compile, and list what is untranslated.

`make translations` runs `extract`, `update`, `compile` and `check` in turn; the completeness test
imports `extract_to` and `missing` so the suite and the tooling agree on what "a message" is.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE_DIR = ROOT / "app" / "translations"
POT = CATALOGUE_DIR / "messages.pot"
LOCALES = ("id",)
# _l is lazy_gettext; gettext, ngettext, _ and N_ are pybabel's defaults. No line numbers and a
# sorted catalogue keep merges between branches small: a moved string does not touch the files.
EXTRACT_OPTIONS = ["-F", "babel.cfg", "-k", "_l", "-k", "Message", "-k", "lazy_ngettext:1,2", "--no-location",
                   "--sort-output", "--project=Suara", "--copyright-holder=Suara"]


def pybabel() -> str:
    """The pybabel next to this Python (the venv's)."""
    return str(Path(sys.executable).with_name("pybabel"))


def extract_to(target: Path) -> None:
    """Extract every message of app/ and templates/ into `target` (a .pot file)."""
    subprocess.run([pybabel(), "-q", "extract", *EXTRACT_OPTIONS, "-o", str(target), "."],
                   cwd=ROOT, check=True)


def catalogue_path(locale: str) -> Path:
    return CATALOGUE_DIR / locale / "LC_MESSAGES" / "messages.po"


def update() -> None:
    """Bring each catalogue in line with the .pot: new messages empty, changed ones fuzzy."""
    for locale in LOCALES:
        subprocess.run([pybabel(), "-q", "update", "-i", str(POT), "-d", str(CATALOGUE_DIR),
                        "-l", locale, "--ignore-obsolete"], cwd=ROOT, check=True)


def compile_all() -> None:
    """Compile each catalogue to its .mo (fuzzy entries are left out, so they show in English)."""
    for locale in LOCALES:
        subprocess.run([pybabel(), "-q", "compile", "-d", str(CATALOGUE_DIR), "-l", locale],
                       cwd=ROOT, check=True)


def missing(locale: str) -> list[str]:
    """Message ids of the catalogue with no translation or a fuzzy one."""
    with catalogue_path(locale).open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    gaps = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            gaps.append(message.id if isinstance(message.id, str) else message.id[0])
    return gaps


def check() -> int:
    """Print the untranslated and fuzzy messages of each catalogue; non-zero if any."""
    status = 0
    for locale in LOCALES:
        gaps = missing(locale)
        for msgid in gaps:
            print(f"{locale}: untranslated or fuzzy: {msgid!r}")
        if gaps:
            print(f"{locale}: {len(gaps)} message(s) to translate in {catalogue_path(locale)}")
            status = 1
    return status


def main(argv: list[str]) -> int:
    steps = argv or ["extract", "update", "compile", "check"]
    for step in steps:
        if step == "extract":
            extract_to(POT)
        elif step == "update":
            update()
        elif step == "compile":
            compile_all()
        elif step == "check":
            return check()
        else:
            print(f"unknown step {step!r}: extract, update, compile or check", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
