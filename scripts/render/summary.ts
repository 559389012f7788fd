import type { RecordedResource } from "../../test/harness/recorder";

export interface SummaryArgs {
    stack: string;
    resources: RecordedResource[];
    warnings: string[];
    written: string[];
    elapsedMs: number;
}

/** Pads cells into aligned columns. */
export function table(rows: string[][]): string {
    const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
    return rows
        .map((row) =>
            row
                .map((cell, column) => cell.padEnd(widths[column]))
                .join("  ")
                .trimEnd(),
        )
        .join("\n");
}

/** The summary printed after a render: resources per type, warnings and timing. */
export function summaryTable(args: SummaryArgs): string {
    const counts = new Map<string, number>();
    for (const resource of args.resources) counts.set(resource.type, (counts.get(resource.type) ?? 0) + 1);
    const rows = [
        ["TYPE", "COUNT"],
        ...[...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([t, n]) => [t, String(n)]),
    ];
    const lines = [
        `Rendered stack ${args.stack}: ${args.resources.length} resources, ${args.written.length} files in ${args.elapsedMs} ms`,
        "",
        table(rows),
        "",
        args.warnings.length === 0 ? "warnings: none" : `warnings (${args.warnings.length}):`,
        ...args.warnings.map((w) => `  - ${w}`),
    ];
    return lines.join("\n") + "\n";
}
