-- wrk script: POST one ONVIF request (SOAP 1.2) over every keep-alive
-- connection, then print one machine-readable summary line.
--
--   SOAP_OP=GetSystemDateAndTime wrk -t1 -c16 -d5s -s soap_post.lua URL
--   SOAP_OP=Snapshot HTTP_METHOD=GET HTTP_AUTHORIZATION="Basic ..." wrk ... URL
--
-- SOAP_NS is the operation's namespace (default: the device service's).
-- HTTP_METHOD=GET sends a plain GET instead (snapshots), labelled SOAP_OP,
-- with HTTP_AUTHORIZATION as its Authorization header when set.
-- The operation comes from the SOAP_OP environment variable (read when each
-- wrk thread loads this script), so the request is static: wrk formats it
-- once and reuses it, which keeps the load generator as cheap as possible.

local op = os.getenv("SOAP_OP") or "GetSystemDateAndTime"
local ns = os.getenv("SOAP_NS") or "http://www.onvif.org/ver10/device/wsdl"

-- HTTP_CONNECTION=close asks for a new connection per request (over HTTPS:
-- a full TLS handshake per request).
if os.getenv("HTTP_CONNECTION") == "close" then wrk.headers["Connection"] = "close" end

if os.getenv("HTTP_METHOD") == "GET" then
  wrk.method = "GET"
  local authorization = os.getenv("HTTP_AUTHORIZATION")
  if authorization then wrk.headers["Authorization"] = authorization end
else
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/soap+xml; charset=utf-8"
  wrk.body = '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">'
      .. '<s:Body><' .. op .. ' xmlns="' .. ns .. '"/></s:Body>'
      .. '</s:Envelope>'
end

-- Runs once, after the test. Latencies are in microseconds. errors.status
-- counts responses with status >= 400; connect/read/write/timeout count
-- socket errors. run.sh parses this line ("BENCH key=value ...").
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH op=%s requests=%d duration_us=%d rps=%.1f p50_us=%.0f p99_us=%.0f max_us=%.0f"
      .. " bytes=%d err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    op, summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), latency.max,
    summary.bytes, e.connect, e.read, e.write, e.status, e.timeout))
end
