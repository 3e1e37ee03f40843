"""Report step of run.sh: reads wrk's BENCH lines and the memory figures that
run.sh collected (passed in environment variables), prints the table, the
memory figures, the checks and the aims, and writes the JSON result file.
Exits 1 when a check failed (wrk errors, gateway warnings), else 0."""

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
runs = []
for line in open(env["RESULTS"]):
    server, conns, _bench, *fields = line.split()
    kv = dict(f.split("=", 1) for f in fields)
    run = {"server": server, "operation": kv.pop("op"), "connections": int(conns)}
    run.update({k: float(v) for k, v in kv.items()})
    run["errors"] = int(sum(run[k] for k in ERR_KEYS))
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
    })

head = (f"{'operation':<22}{'conns':>6}{'gateway rps':>13}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'nginx rps':>12}{'ratio':>8}")
print()
print(head)
print("-" * len(head))
for r in rows:
    print(f"{r['operation']:<22}{r['connections']:>6}{r['gateway_rps']:>13,.0f}"
          f"{r['gateway_p50_ms']:>9.3f}{r['gateway_p99_ms']:>9.3f}"
          f"{r['nginx_rps']:>12,.0f}{r['ratio']:>8.2f}")
reps = int(env["REPEATS"])
print(f"({env['DURATION_S']} s per run, wrk -t{env['THREADS']} (at most one thread per"
      f" connection){f', median of {reps} runs' if reps > 1 else ''};"
      f" CPUs {env['CPU_BUSY_BEFORE']}% busy before start;"
      f" load average {env['LOAD_BEFORE']} before, {env['LOAD_AFTER']} after)")

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
              f" non-2xx={r['err_status']:.0f} connect={r['err_connect']:.0f}"
              f" read={r['err_read']:.0f} write={r['err_write']:.0f}"
              f" timeout={r['err_timeout']:.0f}")
else:
    total = sum(r["requests"] for r in runs)
    print(f"CHECK wrk errors: PASS (0 non-2xx responses, 0 socket errors,"
          f" {total:,.0f} requests)")
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
    "runs": runs,
    "rss_kb": rss,
    "checks": {"wrk_errors": sum(r["errors"] for r in runs),
               "gateway_log_warnings": warnings},
    "aims": aims,
}
with open(env["OUT"], "w") as f:
    json.dump(result, f, indent=2)
    f.write("\n")
print(f"\nJSON: {env['OUT']}")
sys.exit(1 if bad or warnings else 0)
