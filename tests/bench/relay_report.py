#!/usr/bin/env python3
"""Tables and JSON for tests/bench/relay.sh.

relay_report.py RESULTS.jsonl DIRECT.csv RELAY.csv OUT.json

The delay the relay adds: both CSVs hold (pts_time, size) per video packet
as ffprobe stamped it on arrival (wall clock). The relay does not transcode,
so the same frame has the same size on both sides; the packet sequences are
aligned on the offset where most sizes agree, and the delay is the median of
(relayed arrival - direct arrival) over the matching frames.
"""
import json
import os
import statistics
import sys


def read_packets(path):
    out = []
    try:
        with open(path) as f:
            for line in f:
                parts = line.strip().split(",")
                if len(parts) < 2:
                    continue
                try:
                    out.append((float(parts[0]), int(parts[1])))
                except ValueError:
                    continue
    except OSError:
        pass
    return out


def added_delay(direct, relay):
    """(median, p90, matched frames) in milliseconds, or None."""
    if len(direct) < 10 or len(relay) < 10:
        return None
    best = (0, 0)
    # The relayed listener started a moment later: its first frame is some
    # frame of the direct sequence. Try every offset of a generous window.
    for offset in range(-len(relay) + 1, len(direct)):
        agree = sum(1 for i, (_, size) in enumerate(relay)
                    if 0 <= i + offset < len(direct) and direct[i + offset][1] == size)
        if agree > best[0]:
            best = (agree, offset)
    agree, offset = best
    if agree < 10:
        return None
    deltas = sorted((t - direct[i + offset][0]) * 1000 for i, (t, size) in enumerate(relay)
                    if 0 <= i + offset < len(direct) and direct[i + offset][1] == size)
    p90 = deltas[min(len(deltas) - 1, int(0.9 * len(deltas)))]
    return round(statistics.median(deltas), 1), round(p90, 1), agree


def main():
    results_path, direct_path, relay_path, out_path = sys.argv[1:5]
    rows = [json.loads(line) for line in open(results_path) if line.strip()]
    load = [r for r in rows if "clients" in r]
    first = [r for r in rows if r["case"].startswith("first_frame")]

    print()
    print("Relay load (gateway process: CPU of one core, resident memory)")
    print(f"{'stream':<26}{'clients':>8}{'kbit/s each':>12}{'CPU %':>9}{'RSS idle MB':>13}"
          f"{'RSS peak MB':>13}")
    for r in load:
        print(f"{r['case']:<26}{r['clients']:>8}{r.get('kbit_per_client', '?'):>12}"
              f"{r['cpu_percent']:>9}{r['rss_idle_mb']:>13}{r['rss_peak_mb']:>13}")

    summary = {"load": load, "first_frame": {}, "added_delay_ms": None}
    print()
    print("Time to first frame, seconds (median of runs; ffmpeg start to first decoded frame)")
    print(f"{'case':<20}{'relay':>10}{'direct':>10}")
    for case in ("first_frame_cold", "first_frame_warm"):
        cells = {}
        for target in ("relay", "direct"):
            values = [r["seconds"] for r in first
                      if r["case"] == case and r["target"] == target and r["seconds"] is not None]
            cells[target] = round(statistics.median(values), 3) if values else None
        summary["first_frame"][case] = cells
        print(f"{case:<20}{str(cells['relay']):>10}{str(cells['direct']):>10}")

    delay = added_delay(read_packets(direct_path), read_packets(relay_path))
    print()
    if delay is None:
        print("Added delay: not measured (too few matching frames)")
    else:
        median, p90, frames = delay
        summary["added_delay_ms"] = {"median": median, "p90": p90, "frames_matched": frames}
        print(f"Delay added by the relay: median {median} ms, p90 {p90} ms "
              f"({frames} frames matched by size)")
    os.makedirs(os.path.dirname(os.path.abspath(out_path)), exist_ok=True)
    with open(out_path, "w") as f:
        json.dump(summary, f, indent=2)
    print(f"\nwritten: {out_path}")


if __name__ == "__main__":
    main()
