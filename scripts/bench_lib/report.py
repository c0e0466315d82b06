"""Results of a benchmark run: best of the repetitions, the target ratios, table, JSON, chart."""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

Entry = dict[str, Any]

HIGHER_IS_BETTER = {"MiB/s", "ops/s", "files/s"}
CLIENT = "alluxio-py Client"
ASYNC = "alluxio-py AsyncClient"
REFERENCE = "alluxio 0.1.4 (reference)"
CURL = "curl"


def summarize(
    results: list[Entry], clients: list[str], *, versus_reference: bool = False
) -> list[Entry]:
    """One entry per (workload, client): the best repetition (the worst for peak RSS) as
    ``value``, with the ``median`` of the repetitions and their number (``runs``); then the
    target ratios as entries with unit ``"x"``.

    The best is the figure least distorted by other load on a shared machine. Where the
    proxy bounds a transfer, every client's best is the proxy's luckiest moment instead, and
    which client drew it is chance: the median says which client is faster there.
    ``versus_reference`` adds the target of a run against a real proxy: every transfer at
    least as fast as the reference client's (and curl's figures against the same target:
    the proxy's own ceiling)."""
    runs: dict[tuple[str, str], list[Entry]] = {}
    for item in results:
        runs.setdefault((item["workload"], item["client"]), []).append(item)
    order = {name: i for i, name in enumerate(clients)}
    workloads = list(dict.fromkeys(e["workload"] for e in results))
    keys = sorted(runs, key=lambda key: (workloads.index(key[0]), order.get(key[1], 99)))
    out = []
    for key in keys:
        items = runs[key]
        unit = items[0]["unit"]
        values = [float(item["value"]) for item in items]
        # Rates: the highest; peak RSS: the highest (the worst); times and CPU: the lowest.
        best = max(values) if unit in HIGHER_IS_BETTER or unit == "MiB" else min(values)
        out.append(
            {
                "workload": key[0],
                "client": key[1],
                "value": round(best, 3),
                "unit": unit,
                "median": round(statistics.median(values), 3),
                "runs": len(values),
            }
        )
    series = {key: [float(item["value"]) for item in items] for key, items in runs.items()}
    return out + ratios(out, versus_reference=versus_reference, series=series)


def paired_ratio(mine: list[float], theirs: list[float]) -> float | None:
    """The median of the per-repetition ratios ``mine[i] / theirs[i]``: every repetition
    runs each client once, one after the other, so a pair shares the proxy's state (its JIT,
    its heap, the machine's other load), which drifts over a run by more than the clients
    differ. ``None`` unless both have the same two or more repetitions."""
    if len(mine) != len(theirs) or len(mine) < 2 or not all(theirs):
        return None
    return statistics.median(a / b for a, b in zip(mine, theirs, strict=True))


def _value(entries: list[Entry], workload: str, client: str, field: str = "value") -> float | None:
    for e in entries:
        if e["workload"] == workload and e["client"] == client and field in e:
            return float(e[field])
    return None


def ratios(
    entries: list[Entry],
    *,
    versus_reference: bool = False,
    series: dict[tuple[str, str], list[float]] | None = None,
) -> list[Entry]:
    """The issue's targets, as ratios measured in this run (of the best figures, and of the
    medians where the entries have them; with ``series``, every repetition's value per
    (workload, client) in run order, also the median of the per-repetition ratios)."""
    out: list[Entry] = []
    series = series or {}

    def ratio(name: str, workload: str, client: str, versus: str) -> None:
        mine, theirs = _value(entries, workload, client), _value(entries, workload, versus)
        if mine is not None and theirs:
            entry: Entry = {
                "workload": f"ratio {name}",
                "client": client,
                "value": round(mine / theirs, 3),
                "unit": "x",
            }
            mine, theirs = (_value(entries, workload, c, "median") for c in (client, versus))
            if mine is not None and theirs:
                entry["median"] = round(mine / theirs, 3)
            paired = paired_ratio(
                series.get((workload, client), []), series.get((workload, versus), [])
            )
            if paired is not None:
                entry["paired"] = round(paired, 3)
            out.append(entry)

    reads = [e["workload"] for e in entries if e["workload"].startswith("read ")]
    writes = [e["workload"] for e in entries if e["workload"].startswith("write ")]
    read = next((w for w in reads if e_unit(entries, w) == "MiB/s"), None)
    write = next((w for w in writes if e_unit(entries, w) == "MiB/s"), None)
    for client in (CLIENT, ASYNC):
        if read:
            ratio(f"{read} vs reference (target >= 1.0)", read, client, REFERENCE)
            ratio(f"{read} vs curl (target >= 0.8)", read, client, CURL)
        if write:
            ratio(f"{write} vs curl (target >= 0.9)", write, client, CURL)
            if versus_reference:
                ratio(f"{write} vs reference (target >= 1.0)", write, client, REFERENCE)
        for op in ("exists", "get_status", "list_status"):
            workload = f"metadata {op}"
            ratio(f"{workload} vs reference (target >= 1.2)", workload, client, REFERENCE)
    if versus_reference:  # curl under the transfer targets too: how far any client gets
        for transfer in filter(None, (read, write)):
            ratio(f"{transfer} vs reference (target >= 1.0)", transfer, CURL, REFERENCE)
    out += listing_ratios(entries)
    return out


def listing_ratios(entries: list[Entry]) -> list[Entry]:
    """The big-listing targets: ratios within the run, and the absolute bounds."""
    out: list[Entry] = []
    sizes = sorted(
        {
            e["workload"].split()[1].rstrip(":")
            for e in entries
            if e["workload"].startswith("curl ")
        },
        key=lambda label: int(label.replace(",", "")),
    )
    for label in sizes:
        curl = _value(entries, f"curl {label}: total", CURL)
        for client in (CLIENT, ASYNC):
            total = _value(entries, f"iter_status {label}: total", client)
            if curl and total:
                out.append(
                    _ratio(
                        f"iter_status {label} time vs curl (target <= 1.1)", client, total / curl
                    )
                )
        ours = _value(entries, f"list_status {label}: total", CLIENT)
        theirs = _value(entries, f"list_status {label}: total", REFERENCE)
        if ours and theirs:
            out.append(
                _ratio(
                    f"list_status {label} speed vs reference (target >= 1.5)", CLIENT, theirs / ours
                )
            )
        ours = _value(entries, f"list_status {label}: peak RSS over import", CLIENT)
        theirs = _value(entries, f"list_status {label}: peak RSS over import", REFERENCE)
        if ours and theirs:
            out.append(
                _ratio(
                    f"list_status {label} memory vs reference (target <= 0.5)",
                    CLIENT,
                    ours / theirs,
                )
            )
    return out


def _ratio(name: str, client: str, value: float) -> Entry:
    return {"workload": f"ratio {name}", "client": client, "value": round(value, 3), "unit": "x"}


# Absolute targets: (workload suffix, bound in the workload's unit).
BOUNDS = (
    ("peak RSS", 64.0),  # 1 GiB transfers, iter_status and ls -R -U: client peak RSS, MiB
    ("proxy RSS growth", 64.0),
    ("first entry after the answer's head", 0.2),
)


def e_unit(entries: list[Entry], workload: str) -> str | None:
    return next((e["unit"] for e in entries if e["workload"] == workload), None)


def _fmt(value: float, unit: str) -> str:
    if unit == "x":
        return f"{value:.2f}x"
    if unit in ("ms", "s/GiB", "s"):
        return f"{value:.2f} {unit}"
    if value >= 100:
        return f"{value:,.0f} {unit}"
    return f"{value:.1f} {unit}"


def table(summary: list[Entry], clients: list[str], meta: dict[str, Any]) -> str:
    """A Markdown table: a row per workload, a column per client; then the target ratios."""
    measured = [e for e in summary if e["unit"] != "x"]
    workloads = list(dict.fromkeys(e["workload"] for e in measured))
    header = ["workload", *clients]
    rows = [header, ["---"] * len(header)]
    for workload in workloads:
        row = [workload]
        for client in clients:
            value = _value(measured, workload, client)
            unit = e_unit(measured, workload) or ""
            cell = "" if value is None else _fmt(value, unit)
            median = _value(measured, workload, client, "median")
            if unit == "MiB/s" and median is not None and median != value:
                cell += f" (median {_fmt(median, unit)})"  # transfers: see summarize()
            row.append(cell)
        rows.append(row)
    lines = [_md(rows)]
    ratio_rows = [
        ["target ratio", "client", "measured", "met", "of the medians", "paired"],
        ["---"] * 6,
    ]
    for e in summary:
        if e["unit"] != "x":
            continue
        of_medians, paired = "", ""
        if "median" in e:
            of_medians = f"{_fmt(e['median'], 'x')} ({_met(e['median'], e['workload'])})"
        if "paired" in e:
            paired = f"{_fmt(e['paired'], 'x')} ({_met(e['paired'], e['workload'])})"
        ratio_rows.append(
            [
                e["workload"].removeprefix("ratio "),
                e["client"],
                _fmt(e["value"], "x"),
                _met(e["value"], e["workload"]),
                of_medians,
                paired,
            ]
        )
    for client in (CLIENT, ASYNC):
        for e in measured:
            whole = e["workload"].startswith("list_status") or (
                e["workload"].startswith("ls -R ") and not e["workload"].startswith("ls -R -U")
            )
            if e["client"] != client or whole:
                continue  # whole (sorted) listings hold every entry by design: no bound
            for suffix, bound in BOUNDS:
                if e["workload"].endswith(suffix) or e["workload"].endswith(
                    f"{suffix} over import"
                ):
                    ratio_rows.append(
                        [
                            f"{e['workload']} (target <= {_fmt(bound, e['unit'])})",
                            client,
                            _fmt(e["value"], e["unit"]),
                            "yes" if e["value"] <= bound else "no",
                            "",
                            "",
                        ]
                    )
    if len(ratio_rows) > 2:
        lines += ["", _md(ratio_rows)]
    details = ", ".join(f"{k}: {v}" for k, v in meta.items())
    return "\n".join([*lines, "", f"({details})"])


def _met(ratio: float, workload: str) -> str:
    """``"yes"`` if ``ratio`` meets the target named in ``workload`` ("... (target >= 1.2)")."""
    at_least = ">= " in workload
    goal = float(workload.rsplit(">= " if at_least else "<= ", 1)[1].rstrip(")"))
    return "yes" if (ratio >= goal if at_least else ratio <= goal) else "no"


def _md(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "| " + " | ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)) + " |"
        for r in rows
    )


def write_json(path: Path, summary: list[Entry]) -> None:
    path.write_text(json.dumps(summary, indent=1) + "\n")


def write_chart(path: Path, summary: list[Entry], clients: list[str], meta: dict[str, Any]) -> None:
    """One horizontal bar panel per workload (units differ), a bar per client."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    measured = [e for e in summary if e["unit"] not in ("x", "ms", "us/op")]
    workloads = list(dict.fromkeys(e["workload"] for e in measured))
    columns = 3
    rows = (len(workloads) + columns - 1) // columns
    fig, axes = plt.subplots(rows, columns, figsize=(16, 2.6 * rows + 0.8), squeeze=False)
    colors = {CLIENT: "#1f77b4", ASYNC: "#17becf", REFERENCE: "#ff7f0e", CURL: "#7f7f7f"}
    for ax, workload in zip(axes.flat, workloads, strict=False):
        entries = [e for e in measured if e["workload"] == workload]
        names = [c for c in clients if any(e["client"] == c for e in entries)]
        values = [_value(entries, workload, c) or 0.0 for c in names]
        unit = entries[0]["unit"]
        bars = ax.barh(names, values, color=[colors.get(n, "#2ca02c") for n in names])
        ax.invert_yaxis()
        better = "higher is better" if unit in HIGHER_IS_BETTER else "lower is better"
        ax.set_title(f"{workload} ({unit}, {better})", fontsize=10)
        ax.tick_params(axis="y", labelsize=8)
        ax.tick_params(axis="x", labelsize=8)
        ax.set_xlim(0, max(values or [1]) * 1.25)
        for bar, value in zip(bars, values, strict=True):
            ax.text(
                bar.get_width(),
                bar.get_y() + bar.get_height() / 2,
                f" {value:,.0f}"
                if value >= 100
                else f" {value:.1f}"
                if value >= 10
                else f" {value:.2f}",
                va="center",
                fontsize=8,
            )
    for ax in list(axes.flat)[len(workloads) :]:
        ax.axis("off")
    fig.suptitle(
        f"alluxio-py benchmark: best of {meta.get('repetitions')} interleaved repetitions "
        f"({meta.get('transfer_repetitions')} for the {meta.get('big_file_mib')} MiB transfers), "
        "same proxy, same run",
        fontsize=12,
    )
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    fig.savefig(path, dpi=90)
    plt.close(fig)
