import { strict as assert } from "node:assert";
import { withoutStackTraces } from "../../scripts/render/stacks";

describe("render stack traces", () => {
    it("stops capturing and formatting stack traces while the program runs, and restores them after", () => {
        const before = Error.stackTraceLimit;
        const restore = withoutStackTraces();
        try {
            assert.equal(Error.stackTraceLimit, 0);
            assert.equal(new Error("x").stack, "Error: x");
            // What the SDK does for each resource's source position: raise the limit and parse the frames.
            Error.stackTraceLimit = Number.POSITIVE_INFINITY;
            assert.equal(new TypeError("z").stack, "TypeError: z");
        } finally {
            restore();
            process.setSourceMapsEnabled(true);
        }
        assert.equal(Error.stackTraceLimit, before);
        assert.match(String(new Error("y").stack), /\n\s+at /);
    });
});
