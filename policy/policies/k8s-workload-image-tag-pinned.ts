import { validateTypes, type PackResourcePolicy } from "../lib/policy";
import { workloadTypes } from "../lib/types";
import { str, violation } from "../lib/values";
import { containersOf, parseImage } from "../lib/workloads";

interface Config {
    forbiddenTags?: string[];
    requireDigest?: boolean;
}

/** A pod runs the image the change was reviewed with: a moving tag (or none, i.e. `latest`) is not that. */
export const k8sWorkloadImageTagPinned: PackResourcePolicy = {
    name: "k8s-workload-image-tag-pinned",
    description: "Workload containers use images with an explicit tag other than `latest` (or a digest).",
    severity: "high",
    remediationSteps:
        "Reference images as `registry/name:<version>` (CI writes the built tag into the GitOps overlay) or by " +
        "digest `registry/name@sha256:...`; never `latest` and never without a tag.",
    configSchema: {
        properties: {
            forbiddenTags: {
                type: "array",
                items: { type: "string" },
                default: ["latest"],
                description: "Tags that move, and so pin nothing.",
            },
            requireDigest: {
                type: "boolean",
                default: false,
                description: "Require every image to be pinned by digest.",
            },
        },
    },
    validateResource: validateTypes(workloadTypes, (props, args, report) => {
        const config = args.getConfig<Config>();
        const forbidden = config.forbiddenTags ?? ["latest"];
        for (const view of containersOf(args.type, props)) {
            const image = str(view.container.image);
            if (!image) {
                report(
                    violation(`${args.name} ${view.where} has no image.`, "set an image with a version tag."),
                );
                continue;
            }
            const ref = parseImage(image);
            if (ref.digest) continue;
            if (config.requireDigest) {
                report(
                    violation(
                        `${args.name} ${view.where} image ${image} has no digest.`,
                        "pin the image by @sha256 digest.",
                    ),
                );
            } else if (!ref.tag) {
                report(
                    violation(
                        `${args.name} ${view.where} image ${image} has no tag (means latest).`,
                        "add a version tag.",
                    ),
                );
            } else if (forbidden.includes(ref.tag)) {
                report(
                    violation(
                        `${args.name} ${view.where} image ${image} uses the moving tag ${ref.tag}.`,
                        "use a version tag.",
                    ),
                );
            }
        }
    }),
};
