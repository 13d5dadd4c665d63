"""The README's screenshots: the dashboard and page one of a brief, in English and in Indonesian.

Builds a throwaway desk (SQLite in a temporary folder: reference data, the demo, one staff member
per language), serves it on 127.0.0.1, and drives Debian's Chromium through Playwright at 1280 px;
the brief's first page is rendered with poppler's pdftoppm. Writes docs/screenshots/*.png.

    .venv/bin/python scripts/screenshots.py        (needs chromium and poppler-utils from apt)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "screenshots are taken on a throwaway desk"
WIDTH, HEIGHT = 1280, 1000


def build_desk(folder: Path):
    """A desk with the demo and two staff members, one reading English, one Indonesian."""
    os.environ.update(DATABASE_URL=f"sqlite:///{folder / 'shots.db'}", SUARA_INSTANCE_DIR=str(folder),
                      SUARA_RATELIMIT_ENABLED="false")
    sys.path.insert(0, str(ROOT))
    from app import create_app
    from app.cli.demo import load_demo
    from app.domain.enums import Role
    from app.extensions import db
    from app.services import accounts
    from app.services.audit import command_line
    from app.services.reference import seed_reference_data
    from config import DevelopmentConfig

    app = create_app(DevelopmentConfig)
    with app.app_context():
        db.create_all()
        seed_reference_data()
        load_demo()
        accounts.create_user("staff-en@suara.local", "Dewi Lestari", Role.STAFF, PASSWORD, actor=command_line(), locale="en")
        accounts.create_user("staff-id@suara.local", "Dewi Lestari", Role.STAFF, PASSWORD, actor=command_line(), locale="id")
        db.session.commit()
    return app


def shrink(path: Path) -> None:
    """Fewer colours: a page of text and flat charts keeps its look well under 250 kB."""
    from PIL import Image

    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def shoot(base: str, browser, language: str) -> None:
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("#email", f"staff-{language}@suara.local")
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_load_state()
    page.goto(f"{base}/dashboard/")
    dashboard = OUT / f"dashboard-{language}.png"
    page.screenshot(path=str(dashboard))
    shrink(dashboard)
    brief = page.request.get(f"{base}/states/KHM/brief.pdf")
    assert brief.ok, brief.status
    with tempfile.TemporaryDirectory() as pdf_folder:
        pdf = Path(pdf_folder) / "brief.pdf"
        pdf.write_bytes(brief.body())
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(OUT / f"brief-{language}")], check=True)
    shrink(OUT / f"brief-{language}.png")
    context.close()


def main() -> int:
    if not Path(CHROMIUM).exists() or shutil.which("pdftoppm") is None:
        print("needs Debian's chromium and poppler-utils: apt-get install -y chromium poppler-utils", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        app = build_desk(Path(folder))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for language in ("en", "id"):
                    shoot(f"http://127.0.0.1:{server.server_port}", browser, language)
                browser.close()
        finally:
            server.shutdown()
    for png in sorted(OUT.glob("*.png")):
        print(f"{png.relative_to(ROOT)}: {png.stat().st_size // 1024} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
