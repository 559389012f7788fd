/**
 * The Pulumi SDK captures `new Error().stack` for every promise it makes (four per output property of every
 * resource), only to report leaked promises, and a full stack for every resource, turned into file URLs,
 * only to give the engine its source position. The render records neither, yet in a render those stacks
 * are most of the CPU time, and mapping them through source maps costs as much again. The render turns
 * all of it off unless GITOPS_RENDER_DEBUG=1, which brings back full TypeScript stack traces for
 * debugging a crash.
 */
export const renderDebug = Boolean(process.env.GITOPS_RENDER_DEBUG);

/** Formats an error as its first line only: no frames to format, parse or map. */
function firstLineOnly(error: Error): string {
    return error.message ? `${error.name}: ${error.message}` : error.name;
}

/** Turns stack capture off (unless debugging) and returns a function that restores it. */
export function withoutStackTraces(): () => void {
    if (renderDebug) return () => undefined;
    const limit = Error.stackTraceLimit;
    const prepare = Error.prepareStackTrace;
    process.setSourceMapsEnabled(false);
    Error.stackTraceLimit = 0;
    // The SDK raises the limit to capture a resource's whole stack; this keeps that stack empty too.
    Error.prepareStackTrace = firstLineOnly;
    return () => {
        Error.stackTraceLimit = limit;
        Error.prepareStackTrace = prepare;
    };
}
