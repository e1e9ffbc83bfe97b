"""The playground in a real browser: headless Chromium (Debian's `chromium`) driven by
Playwright, against each flavor's `make dev` server.

The default kit's run also rewrites the kit's docs/playground.png, the READMEs' picture of it.
"""

from __future__ import annotations

import shutil

import pytest
from kit_server import dev_server

from conftest import DEFAULTS, ROOT, bake, default

# Debian's chromium (what .ci/run installs); a hosted runner's preinstalled Chrome works the same.
CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
# Offline and quiet: no first-run pages, no background fetches, no GPU on a headless machine.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TOOL_TEXT = '/tool slow_process {"message": "hi", "steps": 2, "delay_ms": 50}'
# One worker runs them all, so the browser starts once.
pytestmark = pytest.mark.xdist_group("playground")
# The kit's README shows it; the template's README shows the same file.
SCREENSHOT = ROOT / "{{cookiecutter.project_slug}}" / "docs" / "playground.png"


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        pytest.fail("Chromium is needed for the playground test (apt-get install chromium; .ci/run does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.mark.parametrize("flavor", DEFAULTS["runtime_flavor"])
def test_playground_shows_the_tool_card_and_the_answer(cookies_session, browser, flavor):
    kit = bake(cookies_session, runtime_flavor=flavor)
    with dev_server(kit, ECHO_DELAY_MS="20") as url:
        page = browser.new_page(viewport={"width": 900, "height": 640})
        outside = []
        page.on("request", lambda sent: None if sent.url.startswith(url) else outside.append(sent.url))
        page.goto(url + "/")
        page.fill("#input", TOOL_TEXT)
        page.press("#input", "Enter")

        card = page.locator(".tool-card")
        card.locator(".tool-state", has_text="done").wait_for(timeout=20_000)
        assert card.locator(".tool-name").inner_text() == "slow_process"
        assert '"steps": 2' in card.locator(".tool-args").inner_text()
        assert card.locator(".tool-status").inner_text() == "Step 2/2 complete"
        assert "Processed 'hi' in 2 steps" in card.locator(".tool-output").inner_text()

        answer = page.locator(".message.assistant .text").last
        # The "thinking" line goes when the finish chunk arrives: the whole answer is in.
        page.wait_for_function("!document.querySelector('.message.assistant .thinking')", timeout=20_000)
        assert "Processed 'hi' in 2 steps" in answer.inner_text()
        assert page.locator(".error").count() == 0
        assert outside == [], "the page fetches nothing from anywhere else"
        if flavor == default("runtime_flavor"):
            page.screenshot(path=str(SCREENSHOT))
        page.close()
