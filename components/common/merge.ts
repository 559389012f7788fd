function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Merges layers left to right: objects merge key by key; anything else, lists included, is replaced. */
export function mergeLayers(...layers: unknown[]): unknown {
    return layers.reduce((merged, layer) => {
        if (layer === undefined) return merged;
        if (!isPlainObject(merged) || !isPlainObject(layer)) return layer;
        const result: Record<string, unknown> = { ...merged };
        for (const [key, value] of Object.entries(layer)) {
            result[key] = mergeLayers(merged[key], value);
        }
        return result;
    }, undefined);
}
