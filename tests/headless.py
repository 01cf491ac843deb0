"""Debian's chromium, headless, driven through chromedriver by Selenium: for every test
of a page the project serves (``make test`` installs both)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")

# Marks for a module of browser tests.
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                       reason="Debian's chromium and chromium-driver are not installed "
                       "(make test installs them)"),
]


def chromium(profile: Path, *, performance_log: bool = False) -> Iterator:
    """A headless chromium with a fresh profile, its console log kept; quit after use.
    Background networking is off: this machine's closed network refuses it. Names other
    than loopback addresses and localhost do not resolve, so a page's link to the
    internet fails at once and the same way everywhere (no test reaches the internet).

    ``performance_log`` also keeps the DevTools events (``Network.*`` among them) for
    ``driver.get_log("performance")``: every request a page makes (tests/replaycheck.py)."""
    webdriver = pytest.importorskip("selenium.webdriver")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--window-size=1200,1600",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.*, EXCLUDE localhost",
                 f"--user-data-dir={profile}"):
        options.add_argument(flag)
    logs = {"browser": "ALL", **({"performance": "ALL"} if performance_log else {})}
    options.set_capability("goog:loggingPrefs", logs)
    driver = webdriver.Chrome(options=options,
                              service=webdriver.ChromeService(executable_path=str(CHROMEDRIVER)))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def severe(driver) -> list[dict]:
    """The console's errors since the last call (a failed load, a refused script)."""
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
