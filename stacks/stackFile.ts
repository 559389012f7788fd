import { isMap, isScalar, LineCounter, parseDocument, type Node } from "yaml";
import { ConfigError, describeValue, quote } from "./errors";

/**
 * Reading a `Pulumi.<stack>.yaml` the way `pulumi` does before the program runs, for the offline render and
 * tests (under `pulumi up` the CLI reads the file and hands the program its config).
 *
 * The file is one YAML document whose root is a map; its `config:` map holds `<namespace>:<name>` or
 * `<name>` keys (a bare name is in the project's namespace), each with a plain value or an encrypted
 * `{ secure: <ciphertext> }`. Anything else is refused with `file:line:column: expected …, got …`, every
 * problem at once, as a `ConfigError` (exit 2 in the render); nothing is registered.
 * - YAML errors: tabs as indentation, a key given twice in one map, unclosed quotes, several documents …
 *   (YAML 1.2 forbids tabs in indentation and requires unique keys; the Pulumi CLI's YAML reader refuses
 *   both too).
 * - Shape: a root or `config:` that is not a map (a list, a scalar); a key with more than one `:`
 *   (the CLI's config.ParseKey takes `<namespace>:<name>`); the same key both bare and with the
 *   project's namespace; a `secure:` value that is not a single string.
 * - Aliases: at most 100 alias expansions (the yaml library's guard against "billion laughs" files).
 */

/** A stack file's `config:` map, keys as written, values as plain data (`{ secure }` for encrypted ones). */
export type StackFileConfig = Record<string, unknown>;

/**
 * Parses the text of a stack file named `file` (used in messages only) for project `project`. Returns its
 * `config:` map; an empty file, or one without `config:`, has none. Throws a `ConfigError` listing every
 * problem. Linear in the size of the text.
 */
export function parseStackFile(text: string, file: string, project: string): StackFileConfig {
    const lines = new LineCounter();
    const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const at = (offset: number | undefined): string => {
        const { line, col } = lines.linePos(offset ?? 0);
        return `${file}:${line}:${col}`;
    };
    const problems: string[] = document.errors.map((error) => {
        const [start] = error.pos;
        switch (error.code) {
            case "TAB_AS_INDENT":
                return `${at(start)}: expected indentation with spaces (YAML does not allow tabs there), got a tab`;
            case "DUPLICATE_KEY":
                return `${at(start)}: expected each key once in a map, got ${quote(keyAt(text, start))} a second time`;
            default:
                return `${at(start)}: expected valid YAML, got ${describeValue(error.message)}`;
        }
    });
    if (problems.length > 0) throw new ConfigError(problems);

    const root = document.contents;
    if (root === null || (isScalar(root) && root.value === null)) return {};
    if (!isMap(root)) {
        throw new ConfigError([
            `${at(root.range?.[0])}: expected a map of stack settings (config:, secretsprovider:, …), got ${shape(root)}`,
        ]);
    }
    const configNode = root.get("config", true) as Node | undefined;
    if (configNode === undefined || (isScalar(configNode) && configNode.value === null)) return {};
    if (!isMap(configNode)) {
        throw new ConfigError([
            `${at(configNode.range?.[0])}: expected config to be a map of <namespace>:<name> keys, got ${shape(configNode)}`,
        ]);
    }

    const config: StackFileConfig = {};
    const fullKeys = new Map<string, string>();
    for (const pair of configNode.items) {
        const keyNode = pair.key as Node | null;
        const where = at(keyNode?.range?.[0]);
        const key = isScalar(keyNode) ? keyNode.value : undefined;
        if (typeof key !== "string" || key === "") {
            problems.push(
                `${where}: expected a config key of the form <namespace>:<name>, got ${describeValue(key)}`,
            );
            continue;
        }
        const parts = key.split(":");
        if (parts.length > 2 || parts.some((part) => part === "")) {
            problems.push(
                `${where}: expected a config key of the form <namespace>:<name> or <name>, got ${quote(key)}`,
            );
            continue;
        }
        const fullKey = parts.length === 1 ? `${project}:${key}` : key;
        const earlier = fullKeys.get(fullKey);
        if (earlier !== undefined) {
            problems.push(
                `${where}: expected each config key once, got ${quote(key)} after ${quote(earlier)}, which is the same key`,
            );
            continue;
        }
        fullKeys.set(fullKey, key);
        const valueNode = pair.value as Node | null;
        if (isMap(valueNode) && valueNode.has("secure")) {
            const secure = valueNode.get("secure");
            if (valueNode.items.length !== 1 || typeof secure !== "string") {
                problems.push(
                    `${at(valueNode.range?.[0])}: expected an encrypted value { secure: <ciphertext> } alone (set it with \`pulumi config set --secret ${key} <value>\`), got ${describeValue(valueNode.items.length !== 1 ? {} : secure)}`,
                );
                continue;
            }
        }
        try {
            config[key] = valueNode === null ? null : valueNode.toJS(document, { maxAliasCount: 100 });
        } catch (err) {
            problems.push(
                `${at(valueNode?.range?.[0])}: expected a value of reasonable size, got ${describeValue(err instanceof Error ? err.message : String(err))}`,
            );
        }
    }
    if (problems.length > 0) throw new ConfigError(problems);
    return config;
}

/** What a YAML node is, for the `got …` half of a message. */
function shape(node: Node): string {
    if (isMap(node)) return "a map";
    if (isScalar(node)) return describeValue(node.value);
    return "a list";
}

/** The plain key of a `key: value` line starting at `offset` (for messages), in one pass over the line. */
function keyAt(text: string, offset: number): string {
    let end = text.indexOf("\n", offset);
    if (end < 0) end = text.length;
    const line = text.slice(offset, end);
    const colon = line.indexOf(": ");
    const key = colon >= 0 ? line.slice(0, colon) : line.endsWith(":") ? line.slice(0, -1) : line;
    return key.trim().replace(/^["']|["']$/g, "");
}
