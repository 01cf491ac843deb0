"""A second, independently built holdout news site for end-to-end crawl tests."""
