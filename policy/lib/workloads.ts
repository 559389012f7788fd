import { k8sTypes } from "./types";
import { at, isObj, list, obj, str, type Obj } from "./values";

/** A container of a workload, with where it sits for messages. */
export interface ContainerView {
    /** `container web`, `init container migrate`. */
    where: string;
    container: Obj;
    init: boolean;
}

/** The pod spec of a workload: the Pod's own, a template's, or a CronJob's job template's. */
export function podSpecOf(type: string, props: Obj): Obj {
    if (type === k8sTypes.pod) return obj(props.spec);
    if (type === k8sTypes.cronJob) return obj(at(props, "spec", "jobTemplate", "spec", "template", "spec"));
    return obj(at(props, "spec", "template", "spec"));
}

/** Every container and init container of a workload. */
export function containersOf(type: string, props: Obj): ContainerView[] {
    const spec = podSpecOf(type, props);
    const views: ContainerView[] = [];
    for (const [key, init] of [
        ["initContainers", true],
        ["containers", false],
    ] as const) {
        list(spec[key])
            .filter(isObj)
            .forEach((container, index) => {
                const name = str(container.name) ?? `#${index}`;
                views.push({ where: `${init ? "init container" : "container"} ${name}`, container, init });
            });
    }
    return views;
}

/** An image reference split into repository, tag and digest. */
export interface ImageRef {
    repository: string;
    tag?: string;
    digest?: string;
}

/** Splits `registry:5000/team/app:1.2.3@sha256:…`; a `:` before the last `/` belongs to the registry host. */
export function parseImage(image: string): ImageRef {
    let rest = image;
    let digest: string | undefined;
    const at = rest.indexOf("@");
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
    }
    const slash = rest.lastIndexOf("/");
    const colon = rest.lastIndexOf(":");
    if (colon > slash) return { repository: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
    return { repository: rest, digest };
}
