import { unwrapSerialized, urnToRef } from "./serialized";

/** What the program sent the engine for one resource. */
export interface RecordedResource {
    type: string;
    name: string;
    /** `"<type>::<name>"` of the parent, or null at the root. */
    parent: string | null;
    custom: boolean;
    /** Inputs as plain values (secret sources are placeholders, so printing them is safe). */
    inputs: Record<string, unknown>;
    /** Top-level input names that Pulumi marks secret. */
    secretInputs: string[];
    opts: RecordedOptions;
}

export interface RecordedOptions {
    protect: boolean;
    retainOnDelete: boolean;
    deleteBeforeReplace: boolean;
    /** Properties whose change replaces the resource (the `replaceOnChanges` option). */
    replaceOnChanges: string[];
    /** ID of an existing resource to adopt (the `import` option), or null. */
    importId: string | null;
    ignoreChanges: string[];
    /** `"<type>::<name>"` of each explicit dependency (`dependsOn`, or a parent component's). */
    dependsOn: string[];
    /** `"<type>::<name>"` of everything it waits for: explicit dependencies and those of its inputs. */
    dependencies: string[];
    /** `"<type>::<name>"` of the provider, for custom resources. */
    provider: string | null;
    additionalSecretOutputs: string[];
}

/** The subset of a RegisterResourceRequest the recorder reads. */
export interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { forEach(callback: (deps: { getUrnsList(): string[] }) => void): void };
    getProtect(): boolean;
    getRetainondelete(): boolean;
    getDeletebeforereplace(): boolean;
    getReplaceonchangesList(): string[];
    getImportid(): string;
    getIgnorechangesList(): string[];
    getProvider(): string;
    getAdditionalsecretoutputsList(): string[];
}

/**
 * The request's dependencies minus those that come from input properties: what `dependsOn` (or a parent
 * component's dependsOn) added. Pulumi sends the union of both.
 */
function explicitDependencies(req: RegisterRequest): string[] {
    const implicit = new Set<string>();
    req.getPropertydependenciesMap().forEach((deps) =>
        deps.getUrnsList().forEach((urn) => implicit.add(urn)),
    );
    return [
        ...new Set(
            req
                .getDependenciesList()
                .filter((urn) => !implicit.has(urn))
                .map(urnToRef),
        ),
    ].sort();
}

/** Records every resource registration, in order. */
export class Recorder {
    public readonly resources: RecordedResource[] = [];
    /** Called after each registration is recorded, e.g. to show progress. */
    public onCapture?: (count: number) => void;

    public capture(req: RegisterRequest): RecordedResource {
        const object = req.getObject()?.toJavaScript() ?? {};
        const inputs: Record<string, unknown> = {};
        const secretInputs: string[] = [];
        for (const [key, value] of Object.entries(object)) {
            const unwrapped = unwrapSerialized(value);
            inputs[key] = unwrapped.value;
            if (unwrapped.secret) secretInputs.push(key);
        }
        const provider = req.getProvider();
        const record: RecordedResource = {
            type: req.getType(),
            name: req.getName(),
            parent: req.getParent() ? urnToRef(req.getParent()) : null,
            custom: req.getCustom(),
            inputs,
            secretInputs: secretInputs.sort(),
            opts: {
                protect: Boolean(req.getProtect()),
                retainOnDelete: Boolean(req.getRetainondelete()),
                deleteBeforeReplace: Boolean(req.getDeletebeforereplace()),
                replaceOnChanges: [...req.getReplaceonchangesList()].sort(),
                importId: req.getImportid() || null,
                ignoreChanges: [...req.getIgnorechangesList()].sort(),
                dependsOn: explicitDependencies(req),
                dependencies: [...new Set(req.getDependenciesList().map(urnToRef))].sort(),
                provider: provider ? urnToRef(provider.split("::").slice(0, -1).join("::")) : null,
                additionalSecretOutputs: [...req.getAdditionalsecretoutputsList()],
            },
        };
        this.resources.push(record);
        this.onCapture?.(this.resources.length);
        return record;
    }

    /** Resources of a type, optionally filtered by name. */
    public ofType(type: string): RecordedResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** The one resource with this type and name; throws when there is none, listing what there is. */
    public find(type: string, name: string): RecordedResource {
        const found = this.resources.find((r) => r.type === type && r.name === name);
        if (!found) {
            const names = this.ofType(type).map((r) => r.name);
            throw new Error(`no ${type} named ${name}; registered: ${names.join(", ") || "none"}`);
        }
        return found;
    }
}

/** A resource as a test declares it; `recorded()` fills in the rest of what the recorder would capture. */
export interface TestResource {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
    parent?: string | null;
    opts?: Partial<RecordedOptions>;
}

export function recorded(resource: TestResource): RecordedResource {
    return {
        type: resource.type,
        name: resource.name,
        parent: resource.parent ?? null,
        custom: !resource.type.startsWith("gitops:"),
        inputs: resource.inputs,
        secretInputs: [],
        opts: {
            protect: false,
            retainOnDelete: false,
            deleteBeforeReplace: false,
            replaceOnChanges: [],
            importId: null,
            ignoreChanges: [],
            dependsOn: [],
            dependencies: [],
            provider: null,
            additionalSecretOutputs: [],
            ...resource.opts,
        },
    };
}
