/**
 * Linear-time scans the credential policies use in place of regular expressions that backtracked
 * quadratically on long values. Pure.
 */

const isSchemeChar = (ch: string): boolean => /[a-z0-9+.-]/i.test(ch);
export const isSpace = (ch: string): boolean => /\s/.test(ch);

/**
 * Whether `value` holds `scheme://user:password@` (what `/[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:[^\s@/]+@/i`
 * matches), in one pass: at each `://`, the scheme is the run of scheme characters before it (it needs a
 * letter to start at), then a user of characters other than space, `:`, `/`, `@`, a `:`, and a password
 * of characters other than space, `@`, `/`, up to an `@`. Each character is looked at a bounded number of
 * times, since neither run can cross a `://`.
 */
export function hasPasswordInUrl(value: string): boolean {
    for (let sep = value.indexOf("://"); sep >= 0; sep = value.indexOf("://", sep + 3)) {
        let letter = false;
        for (let i = sep - 1; i >= 0 && isSchemeChar(value[i]); i--) {
            if (/[a-z]/i.test(value[i])) {
                letter = true;
                break;
            }
        }
        if (!letter) continue;
        let i = sep + 3;
        const userStart = i;
        while (i < value.length && !isSpace(value[i]) && !":/@".includes(value[i])) i++;
        if (i === userStart || value[i] !== ":") continue;
        const passwordStart = ++i;
        while (i < value.length && !isSpace(value[i]) && !"@/".includes(value[i])) i++;
        if (i > passwordStart && value[i] === "@") return true;
    }
    return false;
}

/**
 * A `key: value` or `key=value` line inside a multi-line value (e.g. argocd-cm's oidc.config): optional
 * indentation, `-` and quote, a key of `[\w.-]`, an optional quote, `:` or `=`, and the rest, trimmed. What
 * `/^\s*-?\s*["']?([\w.-]+)["']?\s*[:=]\s*(.*?)\s*$/` matched, in one pass: that expression took
 * quadratic time on a long run of spaces.
 */
export function embeddedPair(line: string): { key: string; value: string } | undefined {
    let i = 0;
    const skipSpaces = () => {
        while (i < line.length && isSpace(line[i])) i++;
    };
    skipSpaces();
    if (line[i] === "-") i++;
    skipSpaces();
    if (line[i] === '"' || line[i] === "'") i++;
    const keyStart = i;
    while (i < line.length && /[\w.-]/.test(line[i])) i++;
    if (i === keyStart) return undefined;
    const key = line.slice(keyStart, i);
    if (line[i] === '"' || line[i] === "'") i++;
    skipSpaces();
    if (line[i] !== ":" && line[i] !== "=") return undefined;
    return { key, value: line.slice(i + 1).trim() };
}
