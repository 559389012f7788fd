import { parseAllDocuments } from "yaml";
import { githubTypes, k8sTypes } from "./types";
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

/**
 * Manifests Pulumi writes into the GitOps repository, kustomizations aside: an app's seeded base
 * (`apps/<app>/base/*.yaml`) and its platform Component per environment (`apps/<app>/platform/<env>/*.yaml`).
 */
export const seededManifestPattern = /^apps\/[^/]+\/(?:base|platform\/[^/]+)\/(?!kustomization)[^/]+\.ya?ml$/;

/** The environment of a platform Component file (`apps/<app>/platform/<env>/…`), or undefined. */
export function platformComponentEnvironment(file: string): string | undefined {
    const match = /^apps\/[^/]+\/platform\/([^/]+)\//.exec(file);
    return match?.[1];
}

/** The resource type a workload kind is checked as; Argo Rollouts' Rollout carries a Deployment's template. */
const seededKinds: Record<string, string> = {
    Deployment: k8sTypes.deployment,
    Rollout: k8sTypes.deployment,
    StatefulSet: k8sTypes.statefulSet,
    DaemonSet: k8sTypes.daemonSet,
    Job: k8sTypes.job,
    CronJob: k8sTypes.cronJob,
};

/** The last seeded file parsed: the policies that read workloads check each file one after another. */
let lastParsed: { content: string; objects: Obj[] } | undefined;

/** The objects in a seeded manifest file. Callers only read them. */
export function seededObjects(content: string): Obj[] {
    if (lastParsed?.content !== content)
        lastParsed = { content, objects: parseAllDocuments(content).map((document) => obj(document.toJS())) };
    return lastParsed.objects;
}

/**
 * Containers of the workloads a policy checks in one resource: a workload's own, or those of the
 * workloads in a seeded manifest file (a `RepositoryFile`), which Argo CD applies from Git. Undefined when
 * the resource holds neither. `types` limits which workload types count.
 */
export function workloadContainers(
    type: string,
    props: Obj,
    types: readonly string[],
): ContainerView[] | undefined {
    if (types.includes(type)) return containersOf(type, props);
    const file = str(props.file);
    if (type !== githubTypes.repositoryFile || !file || !seededManifestPattern.test(file)) return undefined;
    const views: ContainerView[] = [];
    for (const object of seededObjects(str(props.content) ?? "")) {
        const kindType = seededKinds[str(object.kind) ?? ""];
        if (!kindType || !types.includes(kindType)) continue;
        const where = `${file} ${str(object.kind)}/${str(at(object, "metadata", "name")) ?? "?"}`;
        for (const view of containersOf(kindType, object))
            views.push({ ...view, where: `${where} ${view.where}` });
    }
    return views;
}
