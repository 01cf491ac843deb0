"""How a job's state is kept in Redis: compact JSON rows, and the Lua scripts that
change them in one atomic step (:mod:`archive.state.redisstate` runs them).

A row is a JSON object with one- or two-letter field names (``PAGE_FIELDS``,
``ARTICLE_FIELDS``); fields that are None are left out. The scripts write JSON
with their own small encoder (``LUA_ENCODE``): Redis's ``cjson.encode``
escapes every ``/`` of a URL and keeps only 14 digits of a timestamp.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

# Short JSON field -> CrawlState column.
PAGE_FIELDS = {"u": "url", "s": "status", "d": "payload_digest", "e": "etag",
               "m": "last_modified", "f": "first_fetched", "l": "last_fetched",
               "r": "record_id", "w": "warc_date", "wf": "warc_file", "o": "warc_offset",
               "n": "warc_length", "a": "article_key"}
ARTICLE_FIELDS = {"u": "canonical_url", "s": "source", "v": "version",
                  "c": "content_digest", "d": "payload_digest", "f": "first_seen",
                  "lc": "last_checked", "lx": "last_changed", "p": "published",
                  "uc": "unchanged_checks", "t": "fetched_at", "w": "warc"}

# JSON out of Lua: exact numbers (the shortest form that reads back the same) and
# no escaped slashes. Values are strings, numbers, booleans, cjson.null and tables.
LUA_ENCODE = r"""
local ESC = {['"'] = '\\"', ['\\'] = '\\\\', ['\b'] = '\\b', ['\f'] = '\\f',
             ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t'}
local function str(s)
  return '"' .. (string.gsub(s, '[%c"\\]', function(c)
    return ESC[c] or string.format('\\u%04x', string.byte(c)) end)) .. '"'
end
local function num(x)
  if x == math.floor(x) and math.abs(x) < 1e15 then return string.format('%d', x) end
  for p = 15, 16 do
    local s = string.format('%.' .. p .. 'g', x)
    if tonumber(s) == x then return s end
  end
  return string.format('%.17g', x)
end
local enc
enc = function(v)
  local t = type(v)
  if t == 'string' then return str(v) end
  if t == 'number' then return num(v) end
  if t == 'boolean' then return tostring(v) end
  if t ~= 'table' then return 'null' end
  local parts = {}
  if #v > 0 then
    for i = 1, #v do parts[i] = enc(v[i]) end
    return '[' .. table.concat(parts, ',') .. ']'
  end
  for k, x in pairs(v) do parts[#parts + 1] = str(k) .. ':' .. enc(x) end
  return '{' .. table.concat(parts, ',') .. '}'
end
"""

# KEYS: pages, the captures of the location's file (or pages again). ARGV: url_key, the
# new fields {u,s,d,e,m}, the location {r,w,wf,o,n} or '', now.
RECORD_FETCH = LUA_ENCODE + r"""
local key, new, now = ARGV[1], cjson.decode(ARGV[2]), tonumber(ARGV[4])
local raw = redis.call('HGET', KEYS[1], key)
local p = new
if raw then
  p = cjson.decode(raw)
  p.u, p.s = new.u, new.s
  if new.e ~= nil then p.e = new.e end
  if new.m ~= nil then p.m = new.m end
  if new.d ~= nil then p.d = new.d end
else
  p.f = now
end
p.l = now
if ARGV[3] ~= '' then
  local loc = cjson.decode(ARGV[3])
  if p.wf ~= loc.wf then redis.call('RPUSH', KEYS[2], key) end
  p.r, p.w, p.wf, p.o, p.n = loc.r, loc.w, loc.wf, loc.o, loc.n
  p.e, p.m = new.e, new.m
end
redis.call('HSET', KEYS[1], key, enc(p))
"""

# KEYS: a hash. ARGV: field, then name/value pairs to set in its JSON if it exists.
UPDATE = LUA_ENCODE + r"""
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local v = cjson.decode(raw)
for i = 2, #ARGV, 2 do v[ARGV[i]] = ARGV[i + 1] end
redis.call('HSET', KEYS[1], ARGV[1], enc(v))
return 1
"""

# KEYS: pages, captures of one WARC file. ARGV: the size kept, the WARC file.
FORGET = LUA_ENCODE + r"""
local size, changed, kept = tonumber(ARGV[1]), 0, 0
for _, key in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
  local raw = redis.call('HGET', KEYS[1], key)
  if raw then
    local p = cjson.decode(raw)
    if p.wf == ARGV[2] and p.o + p.n > size then
      p.r, p.w, p.wf, p.o, p.n, p.d, p.e, p.m = nil, nil, nil, nil, nil, nil, nil, nil
      redis.call('HSET', KEYS[1], key, enc(p))
      changed = changed + 1
    elseif p.wf == ARGV[2] then
      kept = kept + 1
    end
  end
end
if kept == 0 then redis.call('DEL', KEYS[2]) end
return changed
"""

# KEYS: articles, born. ARGV: article_key, the new article (without f), now.
RECORD_VERSION = LUA_ENCODE + r"""
local a = cjson.decode(ARGV[2])
a.f = tonumber(ARGV[3])
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if raw then
  local old = cjson.decode(raw)
  a.f = old.f
  if a.p == nil then a.p = old.p end
end
redis.call('HSET', KEYS[1], ARGV[1], enc(a))
redis.call('ZADD', KEYS[2], num(a.p or a.f), ARGV[1])
"""

# KEYS: articles. ARGV: article_key, now.
UNCHANGED = LUA_ENCODE + r"""
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local a = cjson.decode(raw)
a.lc = tonumber(ARGV[2])
a.uc = (a.uc or 0) + 1
redis.call('HSET', KEYS[1], ARGV[1], enc(a))
return 1
"""

# KEYS: frontier. ARGV: the attempts after which a URL is dropped, then the sources
# whose URLs are skipped (neither counted nor returned).
# Returns url_key, JSON, url_key, JSON... of the URLs kept.
TAKE_PENDING = LUA_ENCODE + r"""
local all, kept, most = redis.call('HGETALL', KEYS[1]), {}, tonumber(ARGV[1])
local skip = {}
for i = 2, #ARGV do skip[ARGV[i]] = true end
for i = 1, #all, 2 do
  local u = cjson.decode(all[i + 1])
  -- a URL of a source not crawled in this run is left as it is
  if not (type(u.s) == 'string' and skip[u.s]) then
    u.n = (u.n or 0) + 1
    if u.n > most then
      redis.call('HDEL', KEYS[1], all[i])
    else
      local value = enc(u)
      redis.call('HSET', KEYS[1], all[i], value)
      table.insert(kept, all[i])
      table.insert(kept, value)
    end
  end
end
return kept
"""

# KEYS: runs. ARGV: crawl_id, started, pid. Every worker of a distributed crawl
# begins the same run: it is never killed by itself, and keeps its first start.
# Returns crawl_id, started... of the other runs that never finished.
BEGIN_RUN = LUA_ENCODE + r"""
local all, killed, run = redis.call('HGETALL', KEYS[1]), {}, nil
for i = 1, #all, 2 do
  local r = cjson.decode(all[i + 1])
  if all[i] == ARGV[1] then
    run = r
  elseif r.finished == nil and r.reason == nil then
    r.reason = 'killed'
    redis.call('HSET', KEYS[1], all[i], enc(r))
    table.insert(killed, all[i])
    table.insert(killed, r.started or '')
  end
end
local started = ARGV[2]
if run and run.started then started = run.started end
redis.call('HSET', KEYS[1], ARGV[1], enc({pid = tonumber(ARGV[3]), started = started}))
return killed
"""


def compact(fields: Mapping[str, Any]) -> str:
    return json.dumps({name: value for name, value in fields.items() if value is not None},
                      separators=(",", ":"), ensure_ascii=False)


def columns(raw: bytes | str, names: Mapping[str, str]) -> dict[str, Any]:
    return {names[name]: value for name, value in json.loads(raw).items() if name in names}


def page_row(url_key: str, raw: bytes | str) -> dict[str, Any]:
    row = columns(raw, PAGE_FIELDS)
    row.setdefault("url", url_key)
    if row.get("article_key") == "":  # the page is the article
        row["article_key"] = url_key
    return row


def article_row(article_key: str, raw: bytes | str) -> dict[str, Any]:
    row = columns(raw, ARTICLE_FIELDS)
    row.setdefault("canonical_url", article_key)
    row["article_key"] = article_key
    return row
