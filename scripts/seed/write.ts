import * as fs from "node:fs";
import * as path from "node:path";
import type { SeedFile } from "../../components/platformSeed";

export interface SeedOptions {
    /** Directory the repository's files go to (e.g. a clone); created when missing. */
    outDir: string;
    /** App name to image reference: adds the app's overlay for the stack's environment. */
    images: Record<string, string>;
    /** Rewrite seed files that already exist (Git owns them otherwise). */
    force: boolean;
}

/**
 * Writes the files under `outDir`: platform-owned files always, seed files only when missing (or with
 * `force`). Refuses a path that would leave `outDir`. Returns one line per file: `wrote <path>`,
 * `kept <path> (seed; already there)` or `unchanged <path>`.
 */
export function writeSeedTree(
    outDir: string,
    files: SeedFile[],
    options: Pick<SeedOptions, "force">,
): string[] {
    const root = path.resolve(outDir);
    const lines: string[] = [];
    for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
        const target = path.resolve(root, file.path);
        if (!target.startsWith(root + path.sep))
            throw new Error(`refusing to write outside ${root}: ${file.path}`);
        if (fs.existsSync(target)) {
            const current = fs.readFileSync(target, "utf8");
            if (current === file.content) {
                lines.push(`unchanged ${file.path}`);
                continue;
            }
            if (file.seed && !options.force) {
                lines.push(`kept ${file.path} (seed; already there, Git owns it)`);
                continue;
            }
        }
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, file.content);
        lines.push(`wrote ${file.path}`);
    }
    return lines;
}
