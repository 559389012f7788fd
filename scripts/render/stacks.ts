/**
 * The Pulumi SDK captures `new Error().stack` for every promise it makes (four per output property of every
 * resource), only to report leaked promises. In a render those stacks are most of the CPU time, and
 * mapping them through source maps costs as much again. The render turns both off unless
 * GITOPS_RENDER_DEBUG=1, which brings back full TypeScript stack traces for debugging a crash.
 */
export const renderDebug = Boolean(process.env.GITOPS_RENDER_DEBUG);

/** Turns stack capture off (unless debugging) and returns a function that restores it. */
export function withoutStackTraces(): () => void {
    if (renderDebug) return () => undefined;
    const limit = Error.stackTraceLimit;
    process.setSourceMapsEnabled(false);
    Error.stackTraceLimit = 0;
    return () => {
        Error.stackTraceLimit = limit;
    };
}
