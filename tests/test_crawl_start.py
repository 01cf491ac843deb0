"""The crawl's start: what its settings leave out so it is not loaded for nothing."""

from __future__ import annotations

import pytest
from scrapy.utils.conf import build_component_list

from crawler.run import crawl_settings

REMOTE = "scrapy.extensions.remote_control.RemoteControl"
TELNET = "scrapy.extensions.telnet.TelnetConsole"


def base_extensions(**overrides: str) -> dict:
    return crawl_settings("out", "job", None, overrides).getdict("EXTENSIONS_BASE")


class TestSwitchedOffExtensions:
    def test_left_out_while_off(self):
        extensions = base_extensions()
        assert REMOTE not in extensions and TELNET not in extensions
        # The rest of Scrapy's base list is as Scrapy has it.
        assert "scrapy.extensions.corestats.CoreStats" in extensions

    @pytest.mark.parametrize(("switch", "path"), [("REMOTE_CONTROL_ENABLED", REMOTE),
                                                  ("TELNETCONSOLE_ENABLED", TELNET)])
    def test_kept_when_turned_on(self, switch, path):
        assert path in base_extensions(**{switch: "true"})
        assert path not in base_extensions(**{switch: "false"})

    @pytest.mark.parametrize("enabled", [False, True])
    def test_scrapy_builds_them_only_when_on(self, enabled):
        # Scrapy imports and builds each class in this list (the off ones then say
        # NotConfigured): remote control's import alone pulls in aiohttp's server.
        # The list is read as Scrapy reads it, without importing the classes (which
        # would install a reactor in this test process).
        settings = crawl_settings("out", "job", None,
                                  {"REMOTE_CONTROL_ENABLED": str(enabled)})
        built = build_component_list(settings.getwithbase("EXTENSIONS"))
        assert (REMOTE in built) is enabled
        assert TELNET not in built
        assert "crawler.extensions.finisher.CrawlFinisher" in built
