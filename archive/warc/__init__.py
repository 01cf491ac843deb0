"""WARC/1.1: building records, the rotating writer, reading captures back, CDXJ indexes."""
