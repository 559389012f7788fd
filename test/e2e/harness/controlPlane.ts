import * as net from "node:net";

/** Something the e2e starts and stops: a supervised process or an in-process server. */
export interface Component {
    readonly name: string;
    start(): Promise<void>;
    stop(): Promise<void>;
    /** The tail of its log, printed when the run fails. Default: none. */
    tail?(): string;
    /** How often it was restarted after exiting on its own. Default: never. */
    readonly restarts?: number;
}

/**
 * Starts components in dependency order (the order given) and stops them in reverse, like envtest's
 * ControlPlane. A failed start stops the component that failed and whatever started before it, then rethrows.
 */
export class ControlPlane {
    private readonly started: Component[] = [];
    /** Start time of each component, ms. */
    readonly startMs: Record<string, number> = {};

    async start(...components: Component[]): Promise<void> {
        for (const component of components) {
            const begin = Date.now();
            try {
                await component.start();
            } catch (error) {
                // A process that never got ready may still run: stop it too, then everything before it.
                await component.stop().catch(() => undefined);
                await this.stop();
                throw error;
            }
            this.started.push(component);
            this.startMs[component.name] = Date.now() - begin;
        }
    }

    async stop(): Promise<void> {
        while (this.started.length > 0) {
            const component = this.started.pop()!;
            await component.stop().catch((error: unknown) => {
                console.error(
                    `stopping ${component.name}: ${error instanceof Error ? error.message : error}`,
                );
            });
        }
    }

    /** Stops one started component early (e.g. to leave a finalizer without its controller). */
    async stopOne(name: string): Promise<void> {
        const component = this.started.find((c) => c.name === name);
        if (!component) throw new Error(`no started component named ${name}`);
        await component.stop();
    }

    /** Components that exited on their own and were restarted, with how often (for the report). */
    restarts(): Record<string, number> {
        return Object.fromEntries(
            this.started.filter((c) => (c.restarts ?? 0) > 0).map((c) => [c.name, c.restarts!]),
        );
    }

    /** Every started component's log tail, for a failure report. */
    tails(): string {
        return this.started
            .map((component) => component.tail?.() ?? "")
            .filter(Boolean)
            .join("\n");
    }
}

/** A TCP port on 127.0.0.1 that was free when asked (the kernel picks it). */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function listening(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const socket = net.connect(port, "127.0.0.1");
        socket.once("connect", () => {
            socket.destroy();
            resolve(true);
        });
        socket.once("error", () => resolve(false));
    });
}

/** Whether a plain-HTTP GET of `url` answers 2xx (false when nothing answers): most processes' readiness. */
export async function httpOk(url: string): Promise<boolean> {
    const response = await fetch(url).catch(() => undefined);
    return response?.ok === true;
}
