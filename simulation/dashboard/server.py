"""``socialsim dashboard``: serve the workshop page with Solara on this computer.

The browser files are checked first (``assets``): without them, and without internet, the page
would stay blank. Solara's usage telemetry is switched off, so nothing leaves the machine.
"""

from __future__ import annotations

import os
import subprocess
import sys

from . import assets

APP = "simulation.dashboard.app"


def command(host: str = "127.0.0.1", port: int = 8765, open_browser: bool = False) -> list[str]:
    return [sys.executable, "-m", "solara", "run", APP, "--host", host, "--port", str(port),
            "--production", *([] if open_browser else ["--no-open"])]


def environment() -> dict[str, str]:
    # no usage telemetry (nothing leaves the computer); no "runs on Solara" banner over the figures
    return {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False", "SOLARA_THEME_SHOW_BANNER": "False"}


def serve(host: str = "127.0.0.1", port: int = 8765, open_browser: bool = False) -> int:
    """Store any missing browser files, then run the server until Ctrl-C."""
    try:
        added = assets.install(quiet=True)
    except RuntimeError as e:  # still works where the public CDN is reachable
        print(f"socialsim dashboard: warning: {e}; the page needs internet until they are stored", file=sys.stderr)
    else:
        if added:
            print(f"stored the dashboard's browser files for offline use: {', '.join(added)}")
    print(f"socialsim dashboard on http://{host}:{port}/ (Ctrl-C stops it)", flush=True)
    try:
        return subprocess.run(command(host, port, open_browser), env=environment()).returncode
    except KeyboardInterrupt:
        return 0
