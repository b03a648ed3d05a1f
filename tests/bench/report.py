"""The result table (printed with Rich) and its JSON twin."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text


@dataclass
class Row:
    section: str
    figure: str
    value: float | int | str | list[str]
    shown: str
    target: str = "info"
    passed: bool | None = None  # None: a figure without a target


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def add(
        self,
        section: str,
        figure: str,
        value: float | int | str | list[str],
        shown: str,
        target: str = "info",
        passed: bool | None = None,
    ) -> None:
        self.rows.append(Row(section, figure, value, shown, target, passed))

    @property
    def failures(self) -> list[Row]:
        return [row for row in self.rows if row.passed is False]

    def to_json(self) -> dict[str, Any]:
        return {
            "meta": self.meta,
            "figures": [asdict(row) for row in self.rows],
            "warnings": self.warnings,
            "details": self.details,
        }

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n")


def _verdict(passed: bool | None) -> str:
    if passed is None:
        return ""
    return "[green]PASS[/]" if passed else "[bold red]FAIL[/]"


def render(report: Report, console: Console) -> None:
    table = Table(box=box.SIMPLE_HEAD, title="presse benchmark", title_justify="left")
    table.add_column("section", style="bold")
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_column("target", justify="right")
    table.add_column("result")
    previous = None
    for row in report.rows:
        if previous is not None and row.section != previous:
            table.add_section()
        table.add_row(
            row.section if row.section != previous else "",
            row.figure,
            row.shown,
            row.target,
            _verdict(row.passed),
        )
        previous = row.section
    console.print(table)
    for warning in report.warnings:
        console.print(Text(f"warning: {warning}", style="yellow"))


def render_queries(queries: list[dict[str, Any]], console: Console) -> None:
    table = Table(box=box.SIMPLE_HEAD, title="search queries (warm)", title_justify="left")
    for name, justify in (
        ("kind", "left"),
        ("query", "left"),
        ("hits", "right"),
        ("p50 ms", "right"),
        ("max ms", "right"),
        ("suggestion", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for q in queries:
        table.add_row(
            q["kind"],
            Text(q["query"]),
            str(q["total"]),
            f"{q['p50_ms']:.1f}",
            f"{q['max_ms']:.1f}",
            Text(q["suggestion"] or ""),
        )
    console.print(table)
