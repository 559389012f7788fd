import { strict as assert } from "node:assert";
import { Progress, type ProgressStream } from "../../scripts/render/progress";

/** A stream that keeps what is written to it. */
function stream(isTTY: boolean): ProgressStream & { text: string } {
    const written = { isTTY, text: "", write: (text: string) => (written.text += text) };
    return written;
}

/** What a terminal would show last: the text after the last carriage return and line clear. */
function lastLine(text: string): string {
    return text.split("\r\x1b[2K").pop() ?? "";
}

function runLargeRender(progress: Progress, resources: number): void {
    for (let count = 1; count <= resources; count++) progress.registered(count);
    for (let done = 0; done < resources; done++)
        progress.step("checking schemas and workflows", done, resources);
    progress.phase(`running the policy pack over ${resources} resources`, resources);
}

describe("render progress", () => {
    it("shows a large render's registrations, schema check and policy pack on one terminal line", () => {
        const terminal = stream(true);
        const progress = new Progress(terminal);
        for (let count = 1; count <= 300; count++) progress.registered(count);
        assert.equal(lastLine(terminal.text), "registered 300 resources…");
        progress.step("checking schemas and workflows", 250, 300);
        assert.equal(lastLine(terminal.text), "checking schemas and workflows: 250/300 resources…");
        progress.phase("running the policy pack over 300 resources", 300);
        assert.equal(lastLine(terminal.text), "running the policy pack over 300 resources…");
        assert.ok(!terminal.text.includes("\n"), "one line, overwritten");
        progress.done();
        assert.equal(lastLine(terminal.text), "", "cleared before the summary");
    });

    it("stays silent for renders of up to 200 resources", () => {
        const terminal = stream(true);
        const progress = new Progress(terminal);
        runLargeRender(progress, 200);
        progress.done();
        assert.equal(terminal.text, "");
    });

    it("writes nothing when stderr is not a terminal", () => {
        const pipe = stream(false);
        const progress = new Progress(pipe);
        runLargeRender(progress, 1000);
        progress.done();
        assert.equal(pipe.text, "");
    });
});
