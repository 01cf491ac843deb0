"""A bilingual (German/English) holdout news site for end-to-end crawl tests."""
