"""The dashboard in a real headless browser: Debian's chromium through chromedriver.

Over a real crawl of the test site (with a planted hostile title): the page loads
without console errors, shows the job's figures and charts, runs no script from
the archive, and its record and capture links work.
"""

from __future__ import annotations

import pytest

from archive.dashboard import Dashboard, DashboardServer, Source
from tests.dashboardarchive import PLANTED_TITLE, dashboard_archive
from tests.headless import BROWSER_MARKS, chromium, severe

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def server(test_crawl, tmp_path_factory):
    out, _planted = dashboard_archive(test_crawl.out, test_crawl.job,
                                      tmp_path_factory.mktemp("dashboard") / "archive")
    with DashboardServer(Dashboard(Source(out)), port=0) as running:
        yield running


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    yield from chromium(tmp_path_factory.mktemp("chromium"))


class TestInChromium:
    def test_page_loads_and_shows_the_jobs_figures(self, server, browser, test_crawl):
        from selenium.webdriver.common.by import By

        browser.get(server.url)
        assert severe(browser) == []
        job = browser.find_element(By.CSS_SELECTOR, 'section.job[data-job="testsite"]')
        assert "Job testsite" in job.find_element(By.TAG_NAME, "h2").text
        articles = job.find_element(By.CSS_SELECTOR, '[data-figure="articles"] .value').text
        assert int(articles) == len(test_crawl.articles()) + 1
        for chart in ("articles-per-day", "runs"):
            svg = job.find_element(By.CSS_SELECTOR, f'svg[data-chart="{chart}"]')
            assert svg.size["width"] > 300 and svg.size["height"] > 50
        assert job.find_elements(By.CSS_SELECTOR, 'svg[data-chart="articles-per-day"] rect.bar')
        # The style sheet is the dashboard's own and applied (not refused by the CSP).
        header = browser.find_element(By.TAG_NAME, "header")
        assert header.value_of_css_property("background-color") == "rgba(29, 53, 87, 1)"

    def test_no_script_from_the_archive_runs(self, server, browser):
        from selenium.webdriver.common.by import By

        browser.get(server.url)
        assert browser.execute_script("return window.pwned === undefined")
        assert browser.execute_script("return document.scripts.length") == 0
        titles = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "td.title")]
        assert any(title.startswith(PLANTED_TITLE) for title in titles)
        assert severe(browser) == []

    def test_record_and_capture_links_work(self, server, browser, test_crawl):
        from selenium.webdriver.common.by import By

        browser.get(server.url)
        row = next(row for row in browser.find_elements(By.CSS_SELECTOR, "tr.article")
                   if row.find_element(By.CSS_SELECTOR, ".url").text
                   == test_crawl.articles()[0]["url"])
        row.find_element(By.CSS_SELECTOR, "a.record").click()
        record = browser.find_element(By.CSS_SELECTOR, "pre.record").text
        assert f'"url": "{test_crawl.articles()[0]["url"]}"' in record
        browser.find_element(By.CSS_SELECTOR, "a.capture").click()
        capture = browser.find_element(By.CSS_SELECTOR, "pre.capture").text
        assert "WARC-Type: response" in capture and "HTTP/1.1 200" in capture
        assert severe(browser) == []

    def test_planted_record_opens_as_text(self, server, browser):
        from selenium.webdriver.common.by import By

        browser.get(server.url)
        planted = next(row for row in browser.find_elements(By.CSS_SELECTOR, "tr.article")
                       if row.find_element(By.CSS_SELECTOR, "td.title").text
                       .startswith(PLANTED_TITLE))
        planted.find_element(By.CSS_SELECTOR, "a.record").click()
        assert browser.find_element(By.TAG_NAME, "h1").text == PLANTED_TITLE
        assert browser.execute_script("return window.pwned === undefined")
        assert severe(browser) == []

