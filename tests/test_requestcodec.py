"""crawler.distributed.requestcodec: the JSON form of requests in the shared frontier."""

from __future__ import annotations

import pytest
from scrapy import Request

from crawler.distributed import requestcodec


def test_requests_round_trip_through_json():
    request = Request("https://example.com/a?b=1", method="POST", body=b"\x00\xffdata",
                      headers={"X-Bytes": b"\xe9"}, priority=10,
                      meta={"source": "s", "depth": 2, "redirect_urls": ["https://x/"],
                            "pairs": {1: "one"}})
    encoded = requestcodec.dumps(request.to_dict())
    assert isinstance(encoded, str) and "pickle" not in encoded
    decoded = requestcodec.loads(encoded)
    assert decoded["body"] == b"\x00\xffdata"
    assert decoded["headers"][b"X-Bytes"] == [b"\xe9"]
    assert decoded["meta"]["pairs"] == {1: "one"}
    assert decoded["meta"]["redirect_urls"] == ["https://x/"]
    assert decoded["priority"] == 10


def test_objects_that_are_not_json_are_refused_loudly():
    with pytest.raises(TypeError, match="shared frontier"):
        requestcodec.dumps({"meta": {"thing": object()}})
