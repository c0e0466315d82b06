"""Results of a benchmark run: best of the repetitions, the target ratios, table, JSON, chart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

Entry = dict[str, Any]

HIGHER_IS_BETTER = {"MiB/s", "ops/s", "files/s"}
CLIENT = "alluxio-py Client"
ASYNC = "alluxio-py AsyncClient"
REFERENCE = "alluxio 0.1.4 (reference)"
CURL = "curl"


def summarize(results: list[Entry], clients: list[str]) -> list[Entry]:
    """One entry per (workload, client): the best repetition (the worst for peak RSS), then
    the target ratios as entries with unit ``"x"``."""
    best: dict[tuple[str, str], Entry] = {}
    for item in results:
        key = (item["workload"], item["client"])
        current = best.get(key)
        if current is None:
            best[key] = dict(item)
            continue
        if item["unit"] in HIGHER_IS_BETTER or item["unit"] == "MiB":
            better = item["value"] > current["value"]
        else:  # latencies
            better = item["value"] < current["value"]
        if better:
            best[key] = dict(item)
    order = {name: i for i, name in enumerate(clients)}
    summary = sorted(best.values(), key=lambda e: order.get(e["client"], 99))
    workloads = list(dict.fromkeys(e["workload"] for e in results))
    summary.sort(key=lambda e: workloads.index(e["workload"]))
    out = [
        {
            "workload": e["workload"],
            "client": e["client"],
            "value": round(e["value"], 3),
            "unit": e["unit"],
        }
        for e in summary
    ]
    return out + ratios(out)


def _value(entries: list[Entry], workload: str, client: str) -> float | None:
    for e in entries:
        if e["workload"] == workload and e["client"] == client:
            return float(e["value"])
    return None


def ratios(entries: list[Entry]) -> list[Entry]:
    """The issue's targets, as ratios measured in this run."""
    out: list[Entry] = []

    def ratio(name: str, workload: str, client: str, versus: str) -> None:
        mine, theirs = _value(entries, workload, client), _value(entries, workload, versus)
        if mine is not None and theirs:
            out.append(
                {
                    "workload": f"ratio {name}",
                    "client": client,
                    "value": round(mine / theirs, 3),
                    "unit": "x",
                }
            )

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
        for op in ("exists", "get_status", "list_status"):
            workload = f"metadata {op}"
            ratio(f"{workload} vs reference (target >= 1.2)", workload, client, REFERENCE)
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
            row.append("" if value is None else _fmt(value, unit))
        rows.append(row)
    lines = [_md(rows)]
    ratio_rows = [["target ratio", "client", "measured", "met"], ["---"] * 4]
    for e in summary:
        if e["unit"] != "x":
            continue
        at_least = ">= " in e["workload"]
        goal = float(e["workload"].rsplit(">= " if at_least else "<= ", 1)[1].rstrip(")"))
        met = e["value"] >= goal if at_least else e["value"] <= goal
        ratio_rows.append(
            [
                e["workload"].removeprefix("ratio "),
                e["client"],
                _fmt(e["value"], "x"),
                "yes" if met else "no",
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
                        ]
                    )
    if len(ratio_rows) > 2:
        lines += ["", _md(ratio_rows)]
    details = ", ".join(f"{k}: {v}" for k, v in meta.items())
    return "\n".join([*lines, "", f"({details})"])


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
