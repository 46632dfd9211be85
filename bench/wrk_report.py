"""Summarise a wrk run (with bench/status_counts.lua) as Markdown, for docs/performance.md.

Usage: bench/wrk_report.py {sustained,restart,ratios,pages} WRK_OUTPUT [--events FILE]
       [--probes FILE] [--describe TEXT] [--write docs/performance.md]

For `ratios`, WRK_OUTPUT is a manifest written by bench/wrk_ratios.sh: one
line per wrk run, "KEY<TAB>LABEL<TAB>MODE<TAB>CONNECTIONS<TAB>FILE", where MODE
is `cached` or `uncached` and the key `ceiling` marks the trivial view the
others are divided by. `pages` (bench/wrk_pages.sh) reads the same manifest,
one page per line, and sets each page's p99 against the target.

--events: lines "time UNIX_TIME NAME" (wrk-start, db-stop, db-start, db-ready)
and "fact NAME VALUE", written by bench/restart_during_load.sh.
--probes: lines "UNIX_TIME HEALTHZ_STATUS READYZ_STATUS".
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict
from pathlib import Path

SECTIONS = {
    "sustained": "Sustained load",
    "restart": "Database restart under load",
    "ratios": "Speed against the ceiling",
    "pages": "Every public page, uncached",
}
TARGET_P99_MS = 100


def parse_wrk(text: str) -> dict:
    result: dict = {"statuses": {}, "seconds": defaultdict(dict)}
    for line in text.splitlines():
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "status":
            result["statuses"][int(parts[1])] = int(parts[2])
        elif parts[0] == "second":
            result["seconds"][int(parts[1])][int(parts[2])] = int(parts[3])
        elif parts[0] == "errors":
            result["errors"] = dict(item.split("=") for item in parts[1:])
        elif parts[0] == "requests":
            result["requests"] = int(parts[1])
            result["duration"] = int(parts[3]) / 1e6
        elif parts[0] == "latency_ms":
            result["latency"] = dict(item.split("=") for item in parts[1:])
    return result


def parse_events(path: str | None) -> tuple[dict[str, float], dict[str, str]]:
    times: dict[str, float] = {}
    facts: dict[str, str] = {}
    if path:
        for line in Path(path).read_text().splitlines():
            kind, first, rest = line.split(" ", 2)
            if kind == "time":  # time UNIX_TIME NAME
                times[rest.strip()] = float(first)
            else:  # fact NAME VALUE
                facts[first] = rest.strip()
    return times, facts


def _table(rows: list[tuple[str, str]]) -> list[str]:
    return ["| | |", "| --- | ---: |", *(f"| {label} | {value} |" for label, value in rows)]


def _errors(wrk: dict) -> str:
    errors = wrk["errors"]
    return " / ".join(errors[k] for k in ("connect", "read", "write", "timeout"))


def _latency(wrk: dict) -> str:
    latency = wrk["latency"]
    return " / ".join(latency[k] for k in ("p50", "p90", "p99", "max"))


def _by_class(statuses: dict[int, int]) -> tuple[int, int, int]:
    ok = sum(n for code, n in statuses.items() if 200 <= code < 300)
    unavailable = statuses.get(503, 0)
    return ok, unavailable, sum(statuses.values()) - ok - unavailable


def sustained(wrk: dict, describe: str) -> str:
    ok, unavailable, other = _by_class(wrk["statuses"])
    total = sum(wrk["statuses"].values())
    lines = [describe, ""] if describe else []
    lines += _table(
        [
            ("requests", str(total)),
            ("requests per second", f"{total / wrk['duration']:.0f}"),
            ("2xx", str(ok)),
            ("non-2xx", str(unavailable + other)),
            ("wrk errors (connect / read / write / timeout)", _errors(wrk)),
            ("latency p50 / p90 / p99 / max (ms)", _latency(wrk)),
        ]
    )
    return "\n".join(lines)


def restart(wrk: dict, times: dict, facts: dict, probes: str | None, describe: str) -> str:
    ok, unavailable, other = _by_class(wrk["statuses"])
    start = times["wrk-start"]
    ready = times["db-ready"]
    failing = [
        second
        for second, codes in wrk["seconds"].items()
        if any(not 200 <= code < 300 for code in codes)
    ]
    last_failure = max(failing) if failing else None
    first_failure = min(failing) if failing else None

    readyz = []
    if probes:
        for line in Path(probes).read_text().splitlines():
            at, healthz, ready_status = line.split()
            readyz.append((float(at), healthz, ready_status))
    readyz_down = [at for at, _, status in readyz if status != "200"]
    healthz_bad = sum(1 for _, healthz, _ in readyz if healthz != "200")

    def rel(at: float) -> str:
        return f"{at - start:.1f} s"

    rows = [
        ("requests", str(sum(wrk["statuses"].values()))),
        ("2xx", str(ok)),
        ("503 (with Retry-After)", str(unavailable)),
        ("any other status (500, 502, …)", str(other)),
        ("wrk errors (connect / read / write / timeout)", _errors(wrk)),
        ("latency p50 / p90 / p99 / max (ms)", _latency(wrk)),
        ("PostgreSQL stop command (fast shutdown)", rel(times["db-stop"])),
        ("PostgreSQL stopped", rel(times["db-stopped"])),
        ("PostgreSQL start command", rel(times["db-start"])),
        ("PostgreSQL accepting connections again", rel(ready)),
        (
            "non-2xx answers, first and last second",
            f"{first_failure - int(start)} s – {last_failure - int(start)} s"
            if failing
            else "none",
        ),
        (
            "last non-2xx answer, after PostgreSQL accepted connections",
            f"within {max(0, last_failure + 1 - ready):.1f} s" if failing else "none",
        ),
        (
            "`/readyz` 503, first and last probe",
            f"{rel(min(readyz_down))} – {rel(max(readyz_down))}" if readyz_down else "never",
        ),
        ("`/healthz` answers other than 200", str(healthz_bad)),
        ("gunicorn master restarted", facts.get("master-restarted", "?")),
        ("gunicorn workers lost (timeout, crash)", facts.get("workers-lost", "?")),
        (
            "gunicorn workers renewed after `max_requests` (routine)",
            facts.get("workers-renewed", "?"),
        ),
        ("stack traces in gunicorn's log", facts.get("tracebacks", "?")),
        ("outage lines logged (one per 503)", facts.get("unavailable-logged", "?")),
        ("task worker (`db_worker`) afterwards", facts.get("task-worker", "?")),
    ]
    lines = [describe, ""] if describe else []
    lines += _table(rows)
    lines += [
        "",
        "Answers per second (seconds from the start of the load; the second's "
        "counts end where the next begins):",
        "",
        "| second | 2xx | 503 | other | PostgreSQL |",
        "| ---: | ---: | ---: | ---: | --- |",
    ]
    events = [
        (int(times["db-stop"]), "stop"),
        (int(times["db-stopped"]), "stopped"),
        (int(times["db-start"]), "start"),
        (int(ready), "accepting connections"),
    ]
    for second in sorted(wrk["seconds"]):
        codes = wrk["seconds"][second]
        good, down, rest = _by_class(codes)
        note = ", ".join(label for at, label in events if at == second)
        lines.append(f"| {second - int(start)} | {good} | {down} | {rest} | {note} |")
    return "\n".join(lines)


def _rate(wrk: dict) -> float:
    return wrk["requests"] / wrk["duration"]


def ratios(manifest: str, describe: str) -> str:
    """Requests per second as a share of the trivial view's, and latencies, per page."""
    runs: dict[tuple[str, str], dict] = {}
    labels: dict[str, str] = {}
    connections: dict[str, set[int]] = defaultdict(set)
    for line in Path(manifest).read_text().splitlines():
        key, label, mode, conns, path = line.split("\t")
        wrk = parse_wrk(Path(path).read_text())
        labels.setdefault(key, label)
        runs[(key, mode, int(conns))] = wrk
        connections[mode].add(int(conns))
    load = max(n for modes in connections.values() for n in modes)
    ceiling = _rate(runs[("ceiling", "cached", load)])
    lines = [describe, ""] if describe else []
    lines += [
        f"| page | mode | req/s ({load} connections) | share of (a) | "
        f"p50 / p99 at {load} connections (ms) | p50 / p99 at 1 connection (ms) | non-2xx |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, label in labels.items():
        for mode in ("cached", "uncached"):
            loaded = runs.get((key, mode, load))
            if loaded is None:
                continue
            single = runs.get((key, mode, 1))
            bad = sum(n for code, n in loaded["statuses"].items() if not 200 <= code < 300)
            if single is not None:
                bad += sum(n for code, n in single["statuses"].items() if not 200 <= code < 300)
            lat = loaded["latency"]
            one = f"{single['latency']['p50']} / {single['latency']['p99']}" if single else "–"
            lines.append(
                f"| {label} | {mode} | {_rate(loaded):.0f} | {_rate(loaded) / ceiling:.0%} | "
                f"{lat['p50']} / {lat['p99']} | {one} | {bad} |"
            )
    return "\n".join(lines)


def _ms(value: str) -> float:
    """wrk's latency as printed by status_counts.lua, in milliseconds."""
    return float(value)


def pages(manifest: str, describe: str) -> str:
    """Each page's latency at one connection, against the p99 target."""
    lines = [describe, ""] if describe else []
    lines += [
        "| page | requests | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) | non-2xx "
        f"| p99 under {TARGET_P99_MS} ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    missed = 0
    for line in Path(manifest).read_text().splitlines():
        _key, label, _mode, _conns, path = line.split("\t")
        wrk = parse_wrk(Path(path).read_text())
        lat = wrk["latency"]
        bad = sum(n for code, n in wrk["statuses"].items() if not 200 <= code < 300)
        met = _ms(lat["p99"]) < TARGET_P99_MS and not bad
        missed += not met
        lines.append(
            f"| {label} | {wrk['requests']} | {lat['p50']} | {lat['p90']} | {lat['p99']} "
            f"| {lat['max']} | {bad} | {'yes' if met else '**no**'} |"
        )
    total = len(lines) - (4 if describe else 2)
    lines += ["", f"{total - missed} of {total} pages had a p99 under {TARGET_P99_MS} ms."]
    return "\n".join(lines)


def write_section(path: Path, name: str, body: str) -> None:
    """Replace only this section (between its markers); keep the rest of the file."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    block = f"{start}\n{body.rstrip()}\n{end}"
    if start in text and end in text:
        pattern = re.escape(start) + r".*?" + re.escape(end)
        text = re.sub(pattern, lambda _m: block, text, count=1, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=SECTIONS)
    parser.add_argument("wrk_output")
    parser.add_argument("--events")
    parser.add_argument("--probes")
    parser.add_argument("--describe", default="")
    parser.add_argument("--write", help="write the figures as Markdown into this file")
    args = parser.parse_args()

    manifests = {"ratios": ratios, "pages": pages}
    wrk = parse_wrk(Path(args.wrk_output).read_text()) if args.kind not in manifests else {}
    if args.kind in manifests:
        body = manifests[args.kind](args.wrk_output, args.describe)
    elif args.kind == "sustained":
        body = sustained(wrk, args.describe)
    else:
        times, facts = parse_events(args.events)
        body = restart(wrk, times, facts, args.probes, args.describe)
    section = f"## {SECTIONS[args.kind]}\n\n{body}\n"
    print(section)
    if args.write:
        write_section(Path(args.write), f"wrk_{args.kind}", section)


if __name__ == "__main__":
    main()
