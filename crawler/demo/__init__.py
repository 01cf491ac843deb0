"""``newsarchive demo`` and what it serves: the bundled news site (:mod:`.site`) and a
local S3-compatible server (:mod:`.s3server`), which the tests start too."""
