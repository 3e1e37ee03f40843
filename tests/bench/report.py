"""Report step of run.sh: reads wrk's BENCH lines and the memory figures that
run.sh collected (passed in environment variables), prints the gateway/nginx
table, the authentication table, the memory figures, the checks and the aims,
and writes the JSON result file.
Exits 1 when a check failed (wrk errors, non-200 responses, gateway
warnings), else 0."""

import json
import os
import platform
import statistics
import sys
import time
from collections import defaultdict

env = os.environ
ERR_KEYS = ("err_status", "err_connect", "err_read", "err_write", "err_timeout")

# RESULTS lines: "<server> <connections> BENCH op=... rps=... p50_us=... ..."
# server: gateway / nginx (gateway against nginx), gateway_auth /
# gateway_noauth (authentication figure). Lines from soap_auth.lua also carry
# auth=0|1 and non200=N (every status other than 200, counted by the script).
runs = []
for line in open(env["RESULTS"]):
    server, conns, _bench, *fields = line.split()
    kv = dict(f.split("=", 1) for f in fields)
    run = {"server": server, "operation": kv.pop("op"), "connections": int(conns)}
    run.update({k: float(v) for k, v in kv.items()})
    # Socket errors plus bad responses: wrk's err_status counts status >= 400,
    # soap_auth.lua's non200 every status other than 200 (a superset).
    run["errors"] = int(sum(run[k] for k in ERR_KEYS if k != "err_status")
                        + max(run["err_status"], run.get("non200", 0)))
    runs.append(run)

# Median over repeats of each (operation, connections, server) cell.
cells = defaultdict(list)
for r in runs:
    cells[(r["operation"], r["connections"], r["server"])].append(r)


def med(op, conns, server, key):
    rs = cells.get((op, conns, server))
    return statistics.median(r[key] for r in rs) if rs else None


rows = []
for (op, conns, server) in cells:  # insertion order = measurement order
    if server != "gateway":
        continue
    g_rps, n_rps = med(op, conns, "gateway", "rps"), med(op, conns, "nginx", "rps")
    rows.append({
        "operation": op, "connections": conns,
        "gateway_rps": round(g_rps, 1),
        "gateway_p50_ms": med(op, conns, "gateway", "p50_us") / 1000,
        "gateway_p99_ms": med(op, conns, "gateway", "p99_us") / 1000,
        "nginx_rps": round(n_rps, 1),
        "nginx_p50_ms": med(op, conns, "nginx", "p50_us") / 1000,
        "nginx_p99_ms": med(op, conns, "nginx", "p99_us") / 1000,
        "ratio": round(g_rps / n_rps, 3) if n_rps else None,
        # True: every request (to both servers) carried a fresh UsernameToken.
        "username_token": any(r.get("auth") == 1 for r in cells[(op, conns, "gateway")]),
    })

head = (f"{'operation':<22}{'conns':>6}{'gateway rps':>13}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'nginx rps':>12}{'ratio':>8}")
print()
print(head)
print("-" * len(head))
for r in rows:
    name = r["operation"] + ("*" if r["username_token"] else "")
    print(f"{name:<22}{r['connections']:>6}{r['gateway_rps']:>13,.0f}"
          f"{r['gateway_p50_ms']:>9.3f}{r['gateway_p99_ms']:>9.3f}"
          f"{r['nginx_rps']:>12,.0f}{r['ratio']:>8.2f}")
if any(r["username_token"] for r in rows):
    print("* every request carries a fresh WS-Security UsernameToken (PasswordDigest),"
          " to both servers")
reps = int(env["REPEATS"])
print(f"({env['DURATION_S']} s per run, wrk -t{env['THREADS']} (at most one thread per"
      f" connection){f', median of {reps} runs' if reps > 1 else ''};"
      f" CPUs {env['CPU_BUSY_BEFORE']}% busy before start;"
      f" load average {env['LOAD_BEFORE']} before, {env['LOAD_AFTER']} after)")

# Authentication figure: gateway only, AUTH_OP with a fresh UsernameToken per
# request against NOAUTH_OP without, both through soap_auth.lua.
AUTH_OP, NOAUTH_OP = env["AUTH_OP"], env["NOAUTH_OP"]
auth_rows = []
for (op, conns, server) in cells:  # measurement order
    if server != "gateway_auth":
        continue
    a_rps, n_rps = med(op, conns, "gateway_auth", "rps"), med(NOAUTH_OP, conns,
                                                               "gateway_noauth", "rps")
    if n_rps is None:
        continue
    auth_rows.append({
        "connections": conns,
        "auth_rps": round(a_rps, 1),
        "auth_p50_ms": med(op, conns, "gateway_auth", "p50_us") / 1000,
        "auth_p99_ms": med(op, conns, "gateway_auth", "p99_us") / 1000,
        "noauth_rps": round(n_rps, 1),
        "noauth_p50_ms": med(NOAUTH_OP, conns, "gateway_noauth", "p50_us") / 1000,
        "noauth_p99_ms": med(NOAUTH_OP, conns, "gateway_noauth", "p99_us") / 1000,
        "ratio": round(a_rps / n_rps, 3) if n_rps else None,
    })
auth_runs = [r for r in runs if r["server"] in ("gateway_auth", "gateway_noauth")]
if auth_rows:
    print()
    print(f"authentication: {AUTH_OP} with a fresh UsernameToken (PasswordDigest)"
          f" per request vs {NOAUTH_OP} without (gateway only)")
    head2 = (f"{'conns':>6}{'auth rps':>11}{'p50 ms':>9}{'p99 ms':>9}"
             f"{'no-auth rps':>13}{'p50 ms':>9}{'p99 ms':>9}{'ratio':>8}")
    print(head2)
    print("-" * len(head2))
    for r in auth_rows:
        print(f"{r['connections']:>6}{r['auth_rps']:>11,.0f}{r['auth_p50_ms']:>9.3f}"
              f"{r['auth_p99_ms']:>9.3f}{r['noauth_rps']:>13,.0f}{r['noauth_p50_ms']:>9.3f}"
              f"{r['noauth_p99_ms']:>9.3f}{r['ratio']:>8.2f}")
    tokens = sum(r["requests"] for r in runs if r.get("auth") == 1)
    print(f"(ratio = auth rps / no-auth rps; {tokens:,.0f} UsernameTokens sent in the"
          f" recorded runs, each with its own nonce; non-200 responses in the auth section:"
          f" {sum(r.get('non200', 0) for r in auth_runs):.0f})")

rss = {k: int(env[v] or 0) for k, v in {
    "gateway_idle_vmrss_kb": "GW_RSS_IDLE", "gateway_idle_vmhwm_kb": "GW_HWM_IDLE",
    "gateway_load_vmrss_max_kb": "GW_RSS_LOAD_MAX",
    "gateway_after_vmrss_kb": "GW_RSS_AFTER", "gateway_after_vmhwm_kb": "GW_HWM_AFTER",
    "adapter_idle_vmrss_kb": "AD_RSS_IDLE", "adapter_after_vmrss_kb": "AD_RSS_AFTER",
}.items()}
mb = {k: v / 1024 for k, v in rss.items()}
print()
print("gateway memory (2 devices):")
print(f"  idle, after start-up    VmRSS {mb['gateway_idle_vmrss_kb']:5.1f} MB"
      f"   VmHWM {mb['gateway_idle_vmhwm_kb']:5.1f} MB")
print(f"  during max-conn runs    VmRSS {mb['gateway_load_vmrss_max_kb']:5.1f} MB"
      f"   (highest 100 ms sample)")
print(f"  after all runs          VmRSS {mb['gateway_after_vmrss_kb']:5.1f} MB"
      f"   VmHWM {mb['gateway_after_vmhwm_kb']:5.1f} MB (peak of the whole run)")
print(f"  simulated adapter       VmRSS {mb['adapter_idle_vmrss_kb']:5.1f} MB idle,"
      f" {mb['adapter_after_vmrss_kb']:.1f} MB after (own process, not in the aim)")

# Checks: figures are only meaningful if every request succeeded.
print()
bad = [r for r in runs if r["errors"]]
if bad:
    print("CHECK wrk errors: FAIL")
    for r in bad:
        print(f"  {r['server']} {r['operation']} c={r['connections']}:"
              f" status>=400={r['err_status']:.0f}"
              f" non-200={r.get('non200', float('nan')):.0f} connect={r['err_connect']:.0f}"
              f" read={r['err_read']:.0f} write={r['err_write']:.0f}"
              f" timeout={r['err_timeout']:.0f}")
else:
    total = sum(r["requests"] for r in runs)
    print(f"CHECK wrk errors: PASS (0 responses >= 400, 0 non-200 in the token runs,"
          f" 0 socket errors, {total:,.0f} requests)")
warnings = int(env["GW_WARNINGS"])
print(f"CHECK gateway log: {'PASS' if warnings == 0 else 'FAIL'}"
      f" ({warnings} WARN/ERROR line(s))")

# Aims: informational, they do not change the exit status.
aims = []
aim_row = next((r for r in rows if r["operation"] == env["AIM_RATIO_OP"]
                and r["connections"] == int(env["AIM_RATIO_CONNS"])), None)
if aim_row:
    aims.append({
        "aim": f"{env['AIM_RATIO_OP']} at {env['AIM_RATIO_CONNS']} connections:"
               f" gateway/nginx rps >= {env['AIM_RATIO']}",
        "measured": aim_row["ratio"], "met": aim_row["ratio"] >= float(env["AIM_RATIO"])})
auth_aim_row = next((r for r in auth_rows
                     if r["connections"] == int(env["AIM_AUTH_CONNS"])), None)
if auth_aim_row:
    aims.append({
        "aim": f"{AUTH_OP} with UsernameToken / {NOAUTH_OP} without auth at"
               f" {env['AIM_AUTH_CONNS']} connections: rps ratio >= {env['AIM_AUTH_RATIO']}",
        "measured": auth_aim_row["ratio"],
        "met": auth_aim_row["ratio"] >= float(env["AIM_AUTH_RATIO"])})
peak = round(mb["gateway_after_vmhwm_kb"], 1)
aims.append({"aim": f"gateway peak RSS (VmHWM) with 2 devices < {env['AIM_RSS_MB']} MB",
             "measured": peak, "met": peak < float(env["AIM_RSS_MB"])})
print()
for a in aims:
    print(f"AIM {'PASS' if a['met'] else 'MISS'}: {a['aim']} (measured {a['measured']})")

result = {
    "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    "git": env["GIT_REV"],
    "machine": {"cpus": os.cpu_count(), "kernel": platform.release(),
                "cpu_busy_percent_before": int(env["CPU_BUSY_BEFORE"]),
                "load_before": float(env["LOAD_BEFORE"]),
                "load_after": float(env["LOAD_AFTER"])},
    "tools": {"wrk": env["WRK_VERSION"], "nginx": env["NGINX_VERSION"]},
    "params": {"duration_s": int(env["DURATION_S"]), "warmup_s": int(env["WARMUP_S"]),
               "wrk_threads": int(env["THREADS"]), "repeats": reps,
               "connections": [int(c) for c in env["CONNECTIONS"].split()]},
    "response_bytes": {"GetSystemDateAndTime": int(env["RESP_SDT"]),
                       "GetDeviceInformation": int(env["RESP_DI"])},
    "table": rows,
    "auth": {
        "auth_operation": AUTH_OP, "noauth_operation": NOAUTH_OP,
        "token": "WS-Security UsernameToken, PasswordDigest, fresh nonce and Created"
                 " per request",
        "table": auth_rows,
        "ratio_at_aim_connections": auth_aim_row["ratio"] if auth_aim_row else None,
        "aim_connections": int(env["AIM_AUTH_CONNS"]),
        "aim_ratio": float(env["AIM_AUTH_RATIO"]),
        "aim_met": (auth_aim_row["ratio"] >= float(env["AIM_AUTH_RATIO"])
                    if auth_aim_row else None),
        "tokens_sent": int(sum(r["requests"] for r in runs if r.get("auth") == 1)),
        "non200": int(sum(r.get("non200", 0) for r in auth_runs)),
    },
    "runs": runs,
    "rss_kb": rss,
    "checks": {"wrk_errors": sum(r["errors"] for r in runs),
               "non200": int(sum(r.get("non200", 0) for r in runs)),
               "gateway_log_warnings": warnings},
    "aims": aims,
}
with open(env["OUT"], "w") as f:
    json.dump(result, f, indent=2)
    f.write("\n")
print(f"\nJSON: {env['OUT']}")
sys.exit(1 if bad or warnings else 0)
