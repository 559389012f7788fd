/** Pulumi's wire-format signatures for special values inside serialized properties. */
const specialSig = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";
const resourceSig = "5cf8f73096256a8f31e491e813e4eb8e";
const outputSig = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
export const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Turns a resource URN into `"<type>::<name>"`. */
export function urnToRef(urn: string): string {
    const parts = urn.split("::");
    const qualifiedType = parts[2] ?? "";
    const type = qualifiedType.split("$").pop() ?? qualifiedType;
    return `${type}::${parts.slice(3).join("::")}`;
}

/** Unwraps serialized properties into plain values, noting whether any part was secret. */
export function unwrapSerialized(value: unknown): { value: unknown; secret: boolean } {
    if (Array.isArray(value)) {
        const items = value.map(unwrapSerialized);
        return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
    }
    if (value === null || typeof value !== "object") return { value, secret: false };
    const record = value as Record<string, unknown>;
    switch (record[specialSig]) {
        case secretSig: {
            const inner = unwrapSerialized(record.value);
            return { value: inner.value, secret: true };
        }
        case resourceSig:
            return { value: urnToRef(String(record.urn)), secret: false };
        case outputSig: {
            const inner = unwrapSerialized(record.value);
            return { value: inner.value, secret: inner.secret || record.secret === true };
        }
    }
    let secret = false;
    const result: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(record)) {
        const inner = unwrapSerialized(field);
        result[key] = inner.value;
        secret ||= inner.secret;
    }
    return { value: result, secret };
}
