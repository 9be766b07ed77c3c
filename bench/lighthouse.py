"""Lighthouse's four category scores on eight pages, English and Spanish (issue 24: 100 in each).

    make bench            (or: .venv/bin/python bench/lighthouse.py [--keep-json FOLDER])

One run seeds a throwaway SQLite database with the demo (seed_demo only: the pages a first reader
sees), serves it with gunicorn (2 workers, production settings), asks for each page once (as earlier
readers would have, so the page cache is warm) and runs npm's Lighthouse 12.2.3
(node_modules/, `npm ci`) with Debian's Chromium on each page in turn: mobile emulation, simulated
throttling, so the performance figure is modelled, not timed on this busy machine. It prints a table
of the four scores, then every failing audit's id and title per page, and exits non-zero when any
score is below 100. The audits that do not depend on timing are asserted by the suite
(tests/rounds/test_front_end_in_browser.py); this is the full report.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project root: see bench/common.py

from bench.common import bench_env, gunicorn, manage, temporary_sqlite
from bench.servers import ROOT

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
# The demo's post with comments (blog.demo.CUSTOMER_SERVICE_SLUG) and its Spanish version; named here,
# not imported, since blog's modules need Django set up and this process only drives others.
POST = "/blog/three-reminders-and-no-way-to-reschedule/"
SPANISH_POST = "/es/blog/tres-recordatorios-y-ninguna-forma-de-cambiar-la-cita/"
PAGES = {
    "home": "/",
    "post with comments": POST,
    "glossary": "/glossary/",
    "changes": "/changes/",
    "es home": "/es/",
    "es post with comments": SPANISH_POST,
    "es glossary": "/es/glossary/",
    "es changes": "/es/changes/",
}


def lighthouse(url: str, output: Path) -> dict:
    """One Lighthouse run, as issue 24 names it; its JSON report."""
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            f"--chrome-path={CHROMIUM}",
            "--chrome-flags=--headless=new --no-sandbox",
            "--form-factor=mobile",
            "--throttling-method=simulate",
            "--output=json",
            f"--output-path={output}",
            "--quiet",
        ],
        check=True,
    )
    return json.loads(output.read_text())


def failing_audits(report: dict) -> list[tuple[str, str]]:
    """Audits that count towards a category and did not pass, by Lighthouse's own rule: a timing
    metric passes from 0.9, any other audit only at 1 (informative ones have no score)."""
    counted = {ref["id"] for category in report["categories"].values() for ref in category["auditRefs"]}
    return [
        (audit_id, audit["title"])
        for audit_id, audit in report["audits"].items()
        if audit_id in counted
        and audit.get("score") is not None
        and audit["score"] < (0.9 if audit["scoreDisplayMode"] == "numeric" else 1)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--keep-json", type=Path, help="a folder to keep each page's JSON report in")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        print(f"{LIGHTHOUSE} is missing: run `npm ci`", file=sys.stderr)
        return 2
    with temporary_sqlite() as sqlite_url, tempfile.TemporaryDirectory() as reports:
        static_root = sqlite_url.removeprefix("sqlite:///").rsplit("/", 1)[0] + "/static"
        env = bench_env(sqlite_url, STATIC_ROOT=static_root)
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        manage(env, "seed_demo")
        folder = args.keep_json or Path(reports)
        folder.mkdir(parents=True, exist_ok=True)
        results = {}
        with gunicorn(env) as base:
            for path in PAGES.values():
                # Warm: a reader's first visit meets pages and caches other readers have filled.
                urllib.request.urlopen(base + path, timeout=30).read()  # noqa: S310
            for name, path in PAGES.items():
                results[name] = lighthouse(base + path, folder / f"{name.replace(' ', '-')}.json")

    print(f"\n{'page':<24}" + "".join(f"{category:>16}" for category in CATEGORIES))
    below = 0
    for name, report in results.items():
        scores = [report["categories"][category]["score"] for category in CATEGORIES]
        below += sum(score is None or score < 1 for score in scores)
        print(f"{name:<24}" + "".join(f"{'-' if s is None else round(s * 100):>16}" for s in scores))
    for name, report in results.items():
        for audit_id, title in failing_audits(report):
            print(f"{name}: {audit_id}: {title}")
    print(f"\n{below} scores below 100" if below else "\nevery page scores 100 in every category")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
