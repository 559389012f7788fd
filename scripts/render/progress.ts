/** The part of a stream progress writes to; a terminal's `isTTY` is true. */
export interface ProgressStream {
    isTTY?: boolean;
    write(text: string): unknown;
}

/**
 * What a large render is doing, on one line of a terminal that each step overwrites: registrations as
 * they come, then the schema check and the policy pack. Silent when the stream is not a terminal, and for
 * renders of up to `threshold` resources, which finish before anyone would look.
 */
export class Progress {
    private shown = false;

    constructor(
        private readonly stream: ProgressStream,
        private readonly threshold = 200,
    ) {}

    /** After each registration, with the count so far. */
    public registered(count: number): void {
        if (count > this.threshold && count % 50 === 0) this.show(`registered ${count} resources`);
    }

    /** During a step that goes over the `total` resources one by one, with how many are done. */
    public step(label: string, done: number, total: number): void {
        if (total > this.threshold && done % 50 === 0) this.show(`${label}: ${done}/${total} resources`);
    }

    /** Before a step that works over all `total` resources at once. */
    public phase(label: string, total: number): void {
        if (total > this.threshold) this.show(label);
    }

    /** Clears the line, so the summary starts on a clean one. */
    public done(): void {
        if (this.shown) this.stream.write("\r\x1b[2K");
        this.shown = false;
    }

    private show(text: string): void {
        if (!this.stream.isTTY) return;
        this.stream.write(`\r\x1b[2K${text}…`);
        this.shown = true;
    }
}
