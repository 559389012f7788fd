import { strict as assert } from "node:assert";
import { withoutStackTraces } from "../../scripts/render/stacks";

describe("render stack traces", () => {
    it("stops capturing stack traces while the program runs, and restores them after", () => {
        const before = Error.stackTraceLimit;
        const restore = withoutStackTraces();
        try {
            assert.equal(Error.stackTraceLimit, 0);
            assert.equal(new Error("x").stack, "Error: x");
        } finally {
            restore();
            process.setSourceMapsEnabled(true);
        }
        assert.equal(Error.stackTraceLimit, before);
        assert.match(String(new Error("y").stack), /\n\s+at /);
    });
});
