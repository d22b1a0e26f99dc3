"""The workshop dashboard in a real headless Chromium, served on localhost by the suite, with
every request that leaves this computer refused: the page loads with the workshop's run settings,
these and a lever move, a run completes, a figure changes, the CSV downloads and the page switches
to Dutch. Screenshots go to a temporary folder, or to docs/screenshots/ with ``SOCIALSIM_UPDATE_SCREENSHOTS=1`` (so a
test run leaves the checkout as it was).

Needs the system's Chromium (Debian: ``apt-get install chromium``; playwright's own browser
download is not used) and the browser files (``python -m simulation.dashboard.assets``). Where
``CI`` is set, a missing one fails the test; elsewhere it is skipped with the same message.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from simulation.dashboard import assets, server, workshop
from simulation.random_streams import replication_seed

CHROMIUM = os.environ.get("SOCIALSIM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic"]
DOC_SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
TO_TOP = "document.querySelectorAll('*').forEach(e => { e.scrollTop = 0; })"  # page, sidebar and main area
RUN_TIMEOUT_MS = 240_000  # the first run of a fresh server also loads the compiled kernels
# any other wait: re-rendering the page's figures (in Dutch, say) took over 30 s, playwright's
# default, on a 2-core machine shared with other work (load 13)
PAGE_TIMEOUT_MS = 120_000


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        _unavailable(f"Chromium not found at {CHROMIUM}: install it (Debian: apt-get install -y chromium) "
                     "or set SOCIALSIM_CHROMIUM")
    absent = assets.missing()
    if absent:
        _unavailable(f"the dashboard's browser files are missing ({', '.join(absent)}): "
                     "run python -m simulation.dashboard.assets")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is missing: pip install -e '.[dev]'")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def screenshots(tmp_path) -> Path:
    """Where the screenshots go: the docs' folder only when asked to update them."""
    if os.environ.get("SOCIALSIM_UPDATE_SCREENSHOTS") == "1":
        DOC_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return DOC_SCREENSHOTS
    return tmp_path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def dashboard_url():
    """The dashboard served as `socialsim dashboard` serves it, on a free local port."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    proc = subprocess.Popen(server.command(port=port), env=server.environment(), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"the dashboard server did not start:\n{proc.stdout.read()}")
            time.sleep(0.5)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def _wait_for_results(page) -> None:
    """A run has finished and its results are those of the current levers."""
    page.get_by_text("replications of a").wait_for(timeout=RUN_TIMEOUT_MS)
    page.get_by_text("The levers changed").wait_for(state="detached", timeout=RUN_TIMEOUT_MS)
    page.get_by_text("Running replication").wait_for(state="detached", timeout=RUN_TIMEOUT_MS)


def test_workshop_in_the_browser_offline(browser, dashboard_url, screenshots):
    page = browser.new_page(viewport={"width": 1400, "height": 1050}, accept_downloads=True)
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    left_the_computer, cdn = [], []

    def only_local(route):
        if route.request.url.startswith(dashboard_url):
            route.continue_()
        else:
            left_the_computer.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    page.on("response", lambda r: cdn.append((r.status, r.url)) if "/_solara/cdn/" in r.url else None)
    page.goto(dashboard_url)

    # the page loads with no network: Solara's JavaScript and CSS come from the local store
    run = page.get_by_role("button", name="Run")
    run.wait_for(timeout=60_000)
    assert cdn and all(status == 200 for status, _ in cdn), cdn
    assert any("solara-vuetify-app" in url for _, url in cdn)
    page.get_by_text("Press Run to simulate").wait_for()

    # the run settings start at the workshop's defaults; two replications to 2020 make the runs a
    # fifth as dear (a run's cost is mostly per month, whatever its scale) and still give bands
    replications = page.get_by_role("slider", name=re.compile("^Replications"))
    last_year = page.get_by_role("slider", name=re.compile("^Last year"))
    assert replications.get_attribute("aria-valuenow") == str(workshop.DEFAULT_REPLICATIONS)
    assert last_year.get_attribute("aria-valuenow") == str(workshop.DEFAULT_END_YEAR)
    page.get_by_text(f"{workshop.DEFAULT_SCALE:.0%}", exact=True).wait_for()
    replications.focus()
    page.keyboard.press("ArrowLeft")
    last_year.focus()
    page.keyboard.press("Home")
    assert (replications.get_attribute("aria-valuenow"), last_year.get_attribute("aria-valuenow")) == ("2", "2020")
    # the labels are drawn by the server: Run is pressed once it has every key press, not before
    page.get_by_text("Replications: 2", exact=True).wait_for()
    page.get_by_text("Last year: 2020", exact=True).wait_for()

    run.click()
    _wait_for_results(page)
    page.get_by_text("Scenario 'baseline', 2016-2020: 2 replications of a 10% sample").wait_for()
    figure = page.locator("img.socialsim-figure-informal")
    figure.scroll_into_view_if_needed()
    before = figure.screenshot(animations="disabled")
    page.evaluate(TO_TOP)
    page.screenshot(path=screenshots / "dashboard.png", animations="disabled")

    # a lever moves (keyboard, as a slider is used without a mouse): informal first 50% -> 80%
    lever = page.get_by_role("slider", name="Informal first")
    assert lever.get_attribute("aria-valuenow") == "50"
    lever.focus()
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    assert lever.get_attribute("aria-valuenow") == "80"
    page.get_by_text("The levers changed").wait_for()
    # the first key press already shows the message; a run started before the server has the
    # sixth would be a run at 70%, stale the moment it ends
    page.get_by_text("Informal first (% of requests): 80", exact=True).wait_for()

    run.click()
    _wait_for_results(page)
    figure.scroll_into_view_if_needed()
    after = figure.screenshot(animations="disabled")
    assert after != before, "the informal-share figure did not change with the lever"
    figure.screenshot(path=screenshots / "dashboard_informal_share.png", animations="disabled")

    # the download holds the current results: informal first at 80%, every replication and area
    with page.expect_download() as download:
        page.get_by_role("button", name="Download results (CSV)").click()
    assert download.value.suggested_filename == "socialsim_baseline_scale0.1_2016-2020.csv"
    table = pd.read_csv(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert len(table) == 2 * (2020 - 2016 + 1) * 7
    assert (table.scale == 0.1).all()
    assert list(table.seed.unique()) == [replication_seed(1, r) for r in range(2)]
    assert {"informal_share", "access_wait_weeks_mean", "unmet_need_per_1000"} <= set(table.columns)

    # Dutch
    page.get_by_role("button", name="NL", exact=True).click()
    page.get_by_role("button", name="Doorrekenen").wait_for()
    page.get_by_role("slider", name="Eerst informeel").wait_for(state="attached")
    page.get_by_text("replicaties van een steekproef van 10%").wait_for()
    page.evaluate(TO_TOP)
    page.screenshot(path=screenshots / "dashboard_nl.png", animations="disabled")

    assert left_the_computer == [], f"the page asked for files outside this computer: {left_the_computer}"
    page.close()
    for name in ("dashboard.png", "dashboard_informal_share.png", "dashboard_nl.png"):
        assert (screenshots / name).stat().st_size > 10_000, name
