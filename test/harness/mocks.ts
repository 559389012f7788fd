import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { Recorder, type RegisterRequest } from "./recorder";

/** The placeholder the render shows where a generated secret would be. */
export function generatedSecret(name: string): string {
    return `«secret:${name}»`;
}

/** Outputs that providers compute, filled per resource type so dependent inputs look real. */
function computedOutputs(
    type: string,
    name: string,
    inputs: Record<string, unknown>,
): Record<string, unknown> {
    switch (type) {
        case "random:index/randomPassword:RandomPassword":
        case "random:index/randomString:RandomString":
            return { result: generatedSecret(name) };
        case "tls:index/privateKey:PrivateKey":
            return {
                privateKeyOpenssh: generatedSecret(`${name}.privateKeyOpenssh`),
                privateKeyPem: generatedSecret(`${name}.privateKeyPem`),
                publicKeyOpenssh: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${Buffer.from(name).toString("base64")} ${name}\n`,
                publicKeyFingerprintSha256: `SHA256:${Buffer.from(name).toString("base64")}`,
            };
        case "kubernetes:helm.sh/v3:Release":
            return {
                status: {
                    name: inputs.name,
                    namespace: inputs.namespace,
                    chart: inputs.chart,
                    version: inputs.version,
                    status: "deployed",
                },
            };
        case "github:index/repository:Repository": {
            const fullName = `${String(inputs.owner ?? "acme")}/${String(inputs.name)}`;
            return {
                fullName,
                sshCloneUrl: `git@github.com:${fullName}.git`,
                httpCloneUrl: `https://github.com/${fullName}.git`,
                htmlUrl: `https://github.com/${fullName}`,
                nodeId: `R_${name}`,
                repoId: 1000,
            };
        }
        case "github:index/repositoryFile:RepositoryFile":
            // The commit that wrote the file: deterministic, like every other mocked output.
            return {
                commitSha: createHash("sha1")
                    .update(`${String(inputs.repository)}:${String(inputs.file)}:${String(inputs.content)}`)
                    .digest("hex"),
            };
        default:
            return {};
    }
}

/** Outputs of other stacks that `pulumi.StackReference` reads under the mocks, by stack name. */
const stackOutputs = new Map<string, { outputs: Record<string, unknown>; secretOutputNames: string[] }>();

/** Makes a StackReference to `stack` read these outputs (names in `secret` come back as secrets). */
export function mockStackOutputs(
    stack: string,
    outputs: Record<string, unknown>,
    secret: string[] = [],
): void {
    stackOutputs.set(stack, { outputs, secretOutputNames: secret });
}

/**
 * Mocks that answer every resource with its inputs plus the outputs its provider would compute, and fail
 * loudly on any invoke: the program must not depend on data it can only read from a live cloud.
 */
export class RecordingMocks implements pulumi.runtime.Mocks {
    /** Secret outputs requested per `type::name` (the mock monitor ignores additionalSecretOutputs). */
    public readonly secretOutputs = new Map<string, string[]>();

    public newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        if (args.type === "pulumi:pulumi:StackReference") {
            const stack = String(args.inputs.name);
            const mocked = stackOutputs.get(stack);
            if (!mocked) throw new Error(`unmocked StackReference ${stack}: call mockStackOutputs() first`);
            return { id: stack, state: { name: stack, ...mocked } };
        }
        const computed = computedOutputs(args.type, args.name, args.inputs);
        const state: Record<string, unknown> = { ...args.inputs, ...computed };
        for (const key of this.secretOutputs.get(`${args.type}::${args.name}`) ?? []) {
            if (key in state) state[key] = pulumi.secret(state[key]);
        }
        return { id: `${args.name}-id`, state };
    }

    public call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
        throw new Error(
            `unmocked invoke ${args.token}(${JSON.stringify(args.inputs)}): the program must not call it`,
        );
    }
}

interface MonitorLike {
    registerResource(req: RegisterRequest, callback: (err: unknown, res: unknown) => void): Promise<void>;
}

/** Installs fresh recording mocks for a project and stack, and returns the recorder. */
export async function installMocks(project: string, stack: string): Promise<Recorder> {
    const mocks = new RecordingMocks();
    await pulumi.runtime.setMocks(mocks, project, stack, false);
    const recorder = new Recorder();
    const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
        const record = recorder.capture(req);
        mocks.secretOutputs.set(`${record.type}::${record.name}`, record.opts.additionalSecretOutputs);
        return register(req, callback);
    };
    return recorder;
}

/** Resolves once every resource registration has been answered. */
export async function settle(): Promise<void> {
    const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
    await settings.waitForRPCs();
}

/** Awaits an Output's value (under mocks every value is known). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

/** Whether an Output is marked secret. */
export function isSecret<T>(output: pulumi.Output<T>): Promise<boolean> {
    return pulumi.isSecret(output);
}

/** Runs `build` under fresh recording mocks and returns what it registered, once every registration settled. */
export async function record(build: () => void, stack = "test"): Promise<Recorder> {
    const recorder = await installMocks("gitops-platform", stack);
    build();
    await settle();
    return recorder;
}
