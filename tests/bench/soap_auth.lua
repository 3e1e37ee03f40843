-- wrk script: POST one ONVIF device-service request (SOAP 1.2) carrying a
-- fresh WS-Security UsernameToken (PasswordDigest) in EVERY request, count
-- the responses that are not 200, and print one machine-readable summary line.
--
--   SOAP_OP=GetDeviceInformation wrk -t1 -c16 -d5s -s soap_auth.lua URL
--   SOAP_AUTH=0 SOAP_OP=GetSystemDateAndTime wrk ... -s soap_auth.lua URL
--   luajit soap_auth.lua            # self-test only (SHA-1, base64, digest KATs)
--
-- Environment (read when each wrk thread loads this script):
--   SOAP_OP        operation (default GetDeviceInformation)
--   SOAP_NS        its namespace (default the device service's)
--   SOAP_AUTH      1 (default): add the token; 0: no Security header, but the
--                  request is still built per request by the same request()
--                  hook and every response goes through the same response()
--                  hook, so the two modes cost the load generator the same
--                  apart from the token itself (SHA-1, base64, ~900 bytes)
--   WSSE_USER      username (default admin)
--   WSSE_PASSWORD  password (default Bench-Passw0rd1)
--
-- The gateway rejects a (username, nonce, Created) triple it has seen before,
-- so no two requests may share a nonce, across threads and across wrk runs:
--   nonce (16 bytes) = thread id (2) ‖ per-thread counter (6) ‖ 8 bytes of
--   math.random, seeded per thread from /dev/urandom.
-- The thread id and counter make nonces unique within a run; the random part,
-- seeded from /dev/urandom rather than the clock, keeps two runs started in
-- the same second apart. Created = os.date("!%Y-%m-%dT%H:%M:%SZ").
-- Digest = Base64(SHA-1(nonce_bytes ‖ Created ‖ password)) (WSS UsernameToken
-- Profile 1.0, ONVIF Core §5.9.5), implemented below in pure Lua with
-- LuaJIT's `bit` library.

local bit = require("bit")
local band, bor, bxor, bnot = bit.band, bit.bor, bit.bxor, bit.bnot
local lshift, rshift, rol, tobit = bit.lshift, bit.rshift, bit.rol, bit.tobit
local byte, char, sub, rep = string.byte, string.char, string.sub, string.rep
local concat = table.concat
local floor, random = math.floor, math.random

-- ---------------------------------------------------------------------------
-- SHA-1 (FIPS 180-4) on Lua strings; returns the 20-byte binary digest.
-- ---------------------------------------------------------------------------

local W = {}  -- message schedule, reused (each wrk thread has its own Lua state)

local function sha1(msg)
  local len = #msg
  -- Padding: 0x80, zeros to 56 mod 64, then the bit length as 64-bit big-endian.
  local bits = len * 8
  local hi = floor(bits / 4294967296)
  local lo = bits % 4294967296
  msg = msg .. "\128" .. rep("\0", (55 - len) % 64)
      .. char(band(rshift(hi, 24), 255), band(rshift(hi, 16), 255),
              band(rshift(hi, 8), 255), band(hi, 255),
              floor(lo / 16777216) % 256, floor(lo / 65536) % 256,
              floor(lo / 256) % 256, lo % 256)

  local h0, h1, h2, h3, h4 =
    tobit(0x67452301), tobit(0xEFCDAB89), tobit(0x98BADCFE), tobit(0x10325476),
    tobit(0xC3D2E1F0)

  for blk = 1, #msg, 64 do
    for i = 0, 15 do
      local p = blk + i * 4
      local b1, b2, b3, b4 = byte(msg, p, p + 3)
      W[i] = bor(lshift(b1, 24), lshift(b2, 16), lshift(b3, 8), b4)
    end
    for i = 16, 79 do
      W[i] = rol(bxor(W[i - 3], W[i - 8], W[i - 14], W[i - 16]), 1)
    end
    local a, b, c, d, e = h0, h1, h2, h3, h4
    for i = 0, 79 do
      local f, k
      if i < 20 then
        f, k = bor(band(b, c), band(bnot(b), d)), 0x5A827999
      elseif i < 40 then
        f, k = bxor(b, c, d), 0x6ED9EBA1
      elseif i < 60 then
        f, k = bor(band(b, c), band(b, d), band(c, d)), 0x8F1BBCDC
      else
        f, k = bxor(b, c, d), 0xCA62C1D6
      end
      -- The sum of five 32-bit values is exact in a double; tobit wraps it.
      local t = tobit(rol(a, 5) + f + e + k + W[i])
      e, d, c, b, a = d, c, rol(b, 30), a, t
    end
    h0, h1, h2, h3, h4 =
      tobit(h0 + a), tobit(h1 + b), tobit(h2 + c), tobit(h3 + d), tobit(h4 + e)
  end

  local function be(x)
    return char(band(rshift(x, 24), 255), band(rshift(x, 16), 255),
                band(rshift(x, 8), 255), band(x, 255))
  end
  return be(h0) .. be(h1) .. be(h2) .. be(h3) .. be(h4)
end

-- ---------------------------------------------------------------------------
-- Base64 (RFC 4648, with padding).
-- ---------------------------------------------------------------------------

local B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local ENC, DEC = {}, {}
for i = 0, 63 do
  ENC[i] = sub(B64, i + 1, i + 1)
  DEC[byte(B64, i + 1)] = i
end

-- The load generator shares the machine's cores with the gateway: hashing in
-- pure Lua would spend them on the client and understate the server. When
-- LuaJIT's FFI can reach OpenSSL's libcrypto (Debian: libssl3), SHA-1 comes
-- from there; the pure-Lua version above stays as the fallback and for the
-- self-test's cross-check.
local sha1_lua = sha1
do
  local ok_ffi, ffi = pcall(require, "ffi")
  if ok_ffi then
    local ok_lib, crypto = pcall(function()
      ffi.cdef("unsigned char *SHA1(const unsigned char *d, size_t n, unsigned char *md);")
      return ffi.load("crypto.so.3")
    end)
    if ok_lib then
      local out = ffi.new("unsigned char[20]")
      sha1 = function(msg)
        crypto.SHA1(msg, #msg, out)
        return ffi.string(out, 20)
      end
    end
  end
end

local function b64encode(s)
  local out, n = {}, 0
  local len = #s
  for i = 1, len, 3 do
    local a, b, c = byte(s, i, i + 2)
    local v = lshift(a, 16) + lshift(b or 0, 8) + (c or 0)
    out[n + 1] = ENC[rshift(v, 18)]
    out[n + 2] = ENC[band(rshift(v, 12), 63)]
    out[n + 3] = b and ENC[band(rshift(v, 6), 63)] or "="
    out[n + 4] = c and ENC[band(v, 63)] or "="
    n = n + 4
  end
  return concat(out, "", 1, n)
end

local function b64decode(s)
  s = s:gsub("[^%w%+/]", "")  -- drops padding and whitespace
  local out = {}
  for i = 1, #s, 4 do
    local c1, c2, c3, c4 = byte(s, i, i + 3)
    local v = lshift(DEC[c1], 18) + lshift(DEC[c2], 12)
        + (c3 and lshift(DEC[c3], 6) or 0) + (c4 and DEC[c4] or 0)
    out[#out + 1] = char(rshift(v, 16))
    if c3 then out[#out + 1] = char(band(rshift(v, 8), 255)) end
    if c4 then out[#out + 1] = char(band(v, 255)) end
  end
  return concat(out)
end

local function password_digest(nonce_bytes, created, password)
  return b64encode(sha1(nonce_bytes .. created .. password))
end

-- ---------------------------------------------------------------------------
-- Self-test (known answers), run whenever the script is loaded. A mismatch
-- stops wrk before it sends anything (and no BENCH line is printed).
-- ---------------------------------------------------------------------------

local function hex(s)
  return (s:gsub(".", function(ch) return string.format("%02x", byte(ch)) end))
end

local function self_test()
  local checks = {
    -- FIPS 180 examples, plus a two-block message (padding across blocks).
    {hex(sha1("")), "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
    {hex(sha1_lua("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d"},
    {hex(sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d"},
    {hex(sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
     "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
    {b64encode("f"), "Zg=="}, {b64encode("fo"), "Zm8="}, {b64encode("foo"), "Zm9v"},
    {b64decode("Zm9vYg=="), "foob"},
    -- WSS UsernameToken PasswordDigest known answer.
    {password_digest(b64decode("LKqI6G/AikKCQrN0zqZFlg=="), "2010-09-16T07:50:45Z",
                     "userpassword"), "tuOSpGlFlIXsozq4HFNeeGeFLEI="},
  }
  for i, c in ipairs(checks) do
    if c[1] ~= c[2] then
      return false, string.format("check %d: got %s, want %s", i, c[1], c[2])
    end
  end
  return true
end

local SELFTEST_OK, SELFTEST_ERR = self_test()

if wrk == nil then  -- run by plain luajit: report the self-test and stop
  if SELFTEST_OK then
    print("soap_auth.lua self-test: ok (SHA-1, base64, PasswordDigest known answers)")
    os.exit(0)
  end
  print("soap_auth.lua self-test: FAILED: " .. SELFTEST_ERR)
  os.exit(1)
end
if not SELFTEST_OK then
  error("soap_auth.lua self-test FAILED: " .. SELFTEST_ERR)
end

-- ---------------------------------------------------------------------------
-- The request.
-- ---------------------------------------------------------------------------

local op = os.getenv("SOAP_OP") or "GetDeviceInformation"
local auth = (os.getenv("SOAP_AUTH") or "1") ~= "0"
local username = os.getenv("WSSE_USER") or "admin"
local password = os.getenv("WSSE_PASSWORD") or "Bench-Passw0rd1"

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/soap+xml; charset=utf-8"

local ENV_OPEN = '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">'
local ns = os.getenv("SOAP_NS") or "http://www.onvif.org/ver10/device/wsdl"
local BODY = '<s:Body><' .. op .. ' xmlns="' .. ns .. '"/></s:Body>'
    .. '</s:Envelope>'
local T1 = '<s:Header><Security s:mustUnderstand="1"'
    .. ' xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">'
    .. '<UsernameToken><Username>' .. username .. '</Username>'
    .. '<Password Type="http://docs.oasis-open.org/wss/2004/01/'
    .. 'oasis-200401-wss-username-token-profile-1.0#PasswordDigest">'
local T2 = '</Password><Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/'
    .. 'oasis-200401-wss-soap-message-security-1.0#Base64Binary">'
local T3 = '</Nonce><Created xmlns="http://docs.oasis-open.org/wss/2004/01/'
    .. 'oasis-200401-wss-wssecurity-utility-1.0.xsd">'
local T4 = '</Created></UsernameToken></Security></s:Header>'
local ENV_PLAIN = ENV_OPEN .. BODY

-- Per-thread state (each wrk thread runs its own copy of this script).
local tid = 0          -- set by setup() through thread:set, read in init()
local counter = 0      -- requests built by this thread
local last_t, created = -1, ""
local non200 = 0       -- responses whose status is not 200
bad_status = {}        -- status -> count, global so done() can thread:get it

-- Main Lua state only: number the threads and keep them for done().
local threads = {}
function setup(thread)
  threads[#threads + 1] = thread
  thread:set("thread_id", #threads)
end

local function seed()
  local s = 0
  local f = io.open("/dev/urandom", "rb")
  if f then
    local r = f:read(6)
    f:close()
    if r and #r == 6 then
      for i = 1, 6 do s = s * 256 + byte(r, i) end
    end
  end
  if s == 0 then s = os.time() * 1000 + floor(os.clock() * 1e6) + tid end
  math.randomseed(s)
  for _ = 1, 10 do random() end
end

function init(args)
  tid = thread_id or 0
  seed()
end

local function nonce_bytes()
  counter = counter + 1
  local c = counter
  return char(band(rshift(tid, 8), 255), band(tid, 255),
              floor(c / 1099511627776) % 256, floor(c / 4294967296) % 256,
              floor(c / 16777216) % 256, floor(c / 65536) % 256,
              floor(c / 256) % 256, c % 256,
              random(0, 255), random(0, 255), random(0, 255), random(0, 255),
              random(0, 255), random(0, 255), random(0, 255), random(0, 255))
end

function request()
  if not auth then
    counter = counter + 1
    return wrk.format(nil, nil, nil, ENV_PLAIN)
  end
  local t = os.time()
  if t ~= last_t then
    last_t, created = t, os.date("!%Y-%m-%dT%H:%M:%SZ", t)
  end
  local n = nonce_bytes()
  local digest = b64encode(sha1(n .. created .. password))
  return wrk.format(nil, nil, nil,
    ENV_OPEN .. T1 .. digest .. T2 .. b64encode(n) .. T3 .. created .. T4 .. BODY)
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    bad_status[status] = (bad_status[status] or 0) + 1
  end
end

-- Runs once, after the test, in the main Lua state. Latencies are in
-- microseconds. errors.status counts responses with status >= 400 (wrk's own
-- count); non200 is this script's count of every status other than 200,
-- summed over threads. run.sh parses the BENCH line ("BENCH key=value ...");
-- a NON200 line to stderr names the statuses when there were any.
function done(summary, latency, requests)
  local total_non200, statuses = 0, {}
  for _, thread in ipairs(threads) do
    local bs = thread:get("bad_status") or {}
    for status, count in pairs(bs) do
      statuses[status] = (statuses[status] or 0) + count
      total_non200 = total_non200 + count
    end
  end
  if total_non200 > 0 then
    local parts = {}
    for status, count in pairs(statuses) do
      parts[#parts + 1] = string.format("%s x %d", tostring(status), count)
    end
    table.sort(parts)
    io.stderr:write(string.format(
      "NON200 op=%s auth=%d: %d response(s) not 200: %s%s\n", op, auth and 1 or 0,
      total_non200, concat(parts, ", "),
      auth and " (401: token rejected — wrong password, replayed nonce or clock skew?)"
        or ""))
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH op=%s auth=%d requests=%d duration_us=%d rps=%.1f p50_us=%.0f p99_us=%.0f"
      .. " max_us=%.0f bytes=%d err_connect=%d err_read=%d err_write=%d err_status=%d"
      .. " err_timeout=%d non200=%d\n",
    op, auth and 1 or 0, summary.requests, summary.duration,
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), latency.max,
    summary.bytes, e.connect, e.read, e.write, e.status, e.timeout, total_non200))
end
