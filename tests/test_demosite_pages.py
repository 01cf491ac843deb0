"""The local news sites the demo and the test suite crawl (crawler/demo/site): their
ground truth, article and section pages, and how a crawler discovers the articles."""

from __future__ import annotations

import gzip
import html
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from urllib.parse import urljoin, urlsplit

import pytest

from crawler.demo.site import RunningSite, load_site
from tests.demositeclient import SITES, fetch, links_of, raw, site_fixture, text

running = site_fixture("running")  # each site in turn
demo = site_fixture("demo", "demo")


class TestGroundTruth:
    def test_demo_has_thirty_articles_a_third_per_template(self):
        site = load_site("demo")
        counts = Counter(a.template for a in site.expected_articles)
        assert len(site.expected_articles) >= 30
        assert set(counts) == {"wordpress", "jsonld", "bare"}
        assert min(counts.values()) >= 9
        assert len({a.section for a in site.expected_articles}) >= 3

    def test_test_site_has_all_templates(self):
        site = load_site("test")
        assert len(site.expected_articles) >= 12
        assert {a.template for a in site.expected_articles} == {"wordpress", "jsonld", "bare"}

    def test_unknown_site_fails_with_choices(self):
        with pytest.raises(ValueError, match="demo, test"):
            load_site("nope")

    @pytest.mark.parametrize("name", SITES)
    def test_snippets_are_distinctive(self, name):
        site = load_site(name)
        seen = Counter(s for a in site.expected_articles for s in a.body_snippets)
        assert all(n == 1 for n in seen.values())
        for art in site.expected_articles:
            assert 2 <= len(art.body_snippets) <= 3
            assert art.boilerplate_snippets
            assert not set(art.body_snippets) & set(art.boilerplate_snippets)

    @pytest.mark.parametrize("name", SITES)
    def test_published_shape_follows_template(self, name):
        for art in load_site(name).expected_articles:
            if art.template == "bare":
                assert re.fullmatch(r"\d{4}-\d\d-\d\d", art.published)
            else:
                assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", art.published)


# -- pages --------------------------------------------------------------------


class TestArticles:
    def test_every_article_has_title_body_and_boilerplate(self, running):
        for art in running.site.expected_articles:
            page = html.unescape(text(running.url(art.path)))
            assert art.title in page
            for snippet in art.body_snippets + art.boilerplate_snippets:
                assert snippet in page, (art.path, snippet)

    def test_wordpress_markup(self, running):
        for art in running.site.expected_articles:
            if art.template != "wordpress":
                continue
            page = text(running.url(art.path))
            assert '<meta property="og:type" content="article">' in page
            assert f'<meta property="article:published_time" content="{art.published}">' in page
            assert f'<time class="entry-date published" datetime="{art.published}">' in page
            assert '<article id="post-' in page and 'class="entry-content"' in page
            assert "By " in page and all(a in page for a in art.authors)

    def test_jsonld_markup(self, running):
        for art in running.site.expected_articles:
            if art.template != "jsonld":
                continue
            page = text(running.url(art.path))
            blob = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
            assert blob, art.path
            ld = json.loads(blob.group(1))
            assert ld["@type"] == "NewsArticle"
            assert ld["headline"] == art.title
            assert ld["datePublished"] == art.published
            assert [p["name"] for p in ld["author"]] == art.authors
            assert ld["publisher"]["name"] == running.site.title
            assert '<div class="ad-slot">Advertisement</div>' in page
            assert "<article" not in page

    def test_bare_markup(self, running):
        for art in running.site.expected_articles:
            if art.template != "bare":
                continue
            page = text(running.url(art.path))
            for absent in ("og:", "ld+json", "<article", "canonical"):
                assert absent not in page, (art.path, absent)
            assert f"By {' and '.join(art.authors)}" in page
            y, _, d = (int(x) for x in art.published.split("-"))
            assert re.search(rf">[A-Z][a-z]+ {d}, {y}<", page)


class TestSections:
    @staticmethod
    def next_page(running: RunningSite, url: str, page: str) -> str | None:
        """Page 2, 3... in whichever style the section uses."""
        current = urlsplit(url)
        n = int(re.search(r"(?:page[=/])(\d+)", url).group(1)) if "page" in url else 1
        for tag, rel, href in links_of(page):
            target = urljoin(url, href)
            if tag == "link" and rel == "next":
                return target
            if tag == "a" and urlsplit(target).path.startswith(current.path.split("page")[0]):
                if re.search(rf"page[=/]{n + 1}/?$", target):
                    return target
        return None

    def test_pagination_lists_every_article_newest_first(self, running):
        data = running.site.data
        by_path = {a.path: a for a in running.site.expected_articles}
        for sec in data.sections:
            url, pages, seen = running.url(f"/{sec.slug}/"), 0, []
            while url:
                page = text(url)
                pages += 1
                for tag, _, href in links_of(page):
                    path = urlsplit(urljoin(url, href))
                    key = path.path + (f"?{path.query}" if path.query else "")
                    if tag == "a" and key in by_path and key not in seen:
                        if by_path[key].section == sec.name:
                            seen.append(key)
                url = self.next_page(running, url, page)
            expected = [a.path for a in data.articles if a.section == sec.slug]
            assert seen == expected, sec.slug
            assert pages >= 2

    def test_three_pagination_styles(self, demo):
        styles = {s.pagination for s in demo.site.data.sections}
        assert styles == {"older_link", "query", "link_rel_next"}
        local = text(demo.url("/local/"))
        assert '<a class="next" href="/local/page/2/">Older posts</a>' in local
        assert 'href="/business/?page=2"' in text(demo.url("/business/"))
        culture = text(demo.url("/culture/"))
        head, body = culture.split("</head>")
        assert f'<link rel="next" href="{demo.url("/culture/page/2/")}">' in head
        assert "/culture/page/2/" not in body

    def test_non_article_pages_exist(self, running):
        paths = running.site.non_article_paths
        for prefix in ("/", "/about/", "/contact/", "/tag/", "/author/"):
            assert any(p.startswith(prefix) for p in paths), prefix
        for path in paths:
            assert fetch(running.url(path))[0] == 200, path

    def test_home_links_latest_of_every_section(self, running):
        home = text(running.url("/"))
        for sec in running.site.data.sections:
            newest = next(a for a in running.site.data.articles if a.section == sec.slug)
            assert f'href="{html.escape(newest.path)}"' in home


class TestDiscovery:
    def test_feed_lists_articles(self, running):
        status, headers, body = fetch(running.url("/feed/"))
        assert status == 200 and headers["Content-Type"].startswith("application/rss+xml")
        root = ET.fromstring(body)
        assert root.tag == "rss" and root.get("version") == "2.0"
        links = [i.findtext("link") for i in root.iter("item")]
        assert set(links) == {running.url(a.path) for a in running.site.expected_articles}
        assert all(i.findtext("pubDate") for i in root.iter("item"))
        assert 'type="application/rss+xml"' in text(running.url("/"))

    def test_sitemap_lists_articles(self, running):
        status, headers, body = fetch(running.url("/sitemap.xml"))
        assert status == 200 and "xml" in headers["Content-Type"]
        ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
        locs = {e.text for e in ET.fromstring(body).findall("sm:url/sm:loc", ns)}
        assert {running.url(a.path) for a in running.site.expected_articles} <= locs
        assert not any("/private/" in u for u in locs)

    def test_robots_txt(self, running):
        body = text(running.url("/robots.txt"))
        assert "User-agent: *" in body and "Disallow: /search\n" in body
        assert f"Sitemap: {running.base_url}sitemap.xml" in body
        assert ("Disallow: /private/\n" in body) == (running.site.name == "test")
        assert "__hits__" not in body

    def test_everything_is_reachable_by_links(self, running):
        """A polite breadth-first crawl from / finds every article, page and special case."""
        disallowed = ("/search", "/private/")
        found: set[str] = set()  # raw link targets (with query and fragment)
        queue, fetched = ["/"], set()
        while queue:
            path = queue.pop(0)
            if path in fetched or path.startswith(disallowed):
                continue
            fetched.add(path)
            resp, body = raw(running, path, headers={"Accept-Encoding": "identity"})
            targets = []
            if resp.status in (301, 302):
                targets.append(resp.getheader("Location"))
            elif resp.status == 200 and "html" in (resp.getheader("Content-Type") or ""):
                if resp.getheader("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                targets = [h for _, _, h in links_of(body.decode("utf-8", "replace"))]
            for href in targets:
                url = urljoin(running.url(path), href)
                if not url.startswith(running.base_url):
                    continue
                parts = urlsplit(url)
                full = parts.path + (f"?{parts.query}" if parts.query else "")
                found.add(full + (f"#{parts.fragment}" if parts.fragment else ""))
                if not parts.path.startswith("/static/"):
                    queue.append(full)
        site = running.site
        wanted = {a.path for a in site.expected_articles} | set(site.non_article_paths)
        wanted |= set(site.special_paths.values())
        assert wanted - found == set()
