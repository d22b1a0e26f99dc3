"""The browser's JavaScript and CSS, stored where Solara looks for them, so the dashboard works
with no internet (a meeting room, a locked-down laptop).

Solara serves these files through its ``/_solara/cdn/`` route from a cache folder
(``<environment>/share/solara/cdn/<package>@<version>/``) and, when a file is missing, fetches
it from a public CDN. This module fills the cache from the npm registry with ``npm pack``::

    python -m simulation.dashboard.assets          # once after installing (make venv does it)
    python -m simulation.dashboard.assets --check  # exit 1 and name what is missing

The packages are those the installed Solara's page template asks for; the browser test
checks that every ``/_solara/cdn/`` request of the page is answered from this cache.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGES = (
    "@widgetti/solara-vuetify-app@10.1.1",
    "@widgetti/vue-grid-layout@2.3.13-alpha.2",
    "font-awesome@4.5.0",
    "requirejs@2.3.6",
)


def cache_dir() -> Path:
    from solara.server.settings import assets

    return Path(assets.proxy_cache_dir)


def missing(folder: Path | None = None) -> list[str]:
    folder = folder or cache_dir()
    return [p for p in PACKAGES if not (folder / p / "package.json").is_file()]


def install(folder: Path | None = None, quiet: bool = False) -> list[str]:
    """``npm pack`` each missing package and unpack it into the cache; returns what was added."""
    folder = folder or cache_dir()
    todo = missing(folder)
    if todo and shutil.which("npm") is None:
        raise RuntimeError("npm not found: install Node.js (npm) to store the dashboard's browser files "
                           f"({', '.join(todo)}) for offline use")
    for spec in todo:
        with tempfile.TemporaryDirectory() as tmp:
            out = subprocess.run(["npm", "pack", spec, "--pack-destination", tmp, "--silent"],
                                 capture_output=True, text=True)
            tarballs = list(Path(tmp).glob("*.tgz"))
            if out.returncode != 0 or len(tarballs) != 1:
                raise RuntimeError(f"npm pack {spec} failed: {out.stderr.strip().splitlines()[-1:]}")
            target = folder / spec
            staging = Path(tmp) / "unpacked"
            with tarfile.open(tarballs[0]) as tar:
                tar.extractall(staging, filter="data")
            # npm tarballs hold one top folder (usually "package/")
            (top,) = [p for p in staging.iterdir() if p.is_dir()]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(target, ignore_errors=True)
            shutil.move(str(top), str(target))
        if not quiet:
            print(f"stored {spec} in {target}")
    return todo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulation.dashboard.assets", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report what is missing (exit 1 if anything is)")
    args = parser.parse_args(argv)
    if args.check:
        absent = missing()
        for spec in absent:
            print(f"missing: {spec} (run: python -m simulation.dashboard.assets)")
        return 1 if absent else 0
    try:
        added = install()
    except RuntimeError as e:
        print(f"simulation.dashboard.assets: error: {e}", file=sys.stderr)
        return 1
    if not added:
        print(f"all {len(PACKAGES)} packages already in {cache_dir()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
