import { validateTypes, type PackResourcePolicy } from "../lib/policy";
import { githubTypes } from "../lib/types";
import { isFalse, isObj, known, obj, str, unknown, violation } from "../lib/values";

/** The scheme and host of a URL, for messages: never its path or query, which may carry tokens. */
function describeUrl(url: string): string {
    const match = /^([a-z][a-z0-9+.-]*:\/\/)?(?:[^@/]*@)?([^/?#]*)/i.exec(url);
    return match ? `${match[1] ?? ""}${match[2]}` : "an unparseable URL";
}

/**
 * A webhook tells Argo CD to sync: over TLS that is verified, and signed with a shared secret so that
 * nobody else can trigger (or flood) syncs.
 */
export const githubWebhookHttpsWithSecret: PackResourcePolicy = {
    name: "github-webhook-https-with-secret",
    description:
        "GitHub webhooks deliver over HTTPS with certificate checks (insecureSsl false) and a signing secret.",
    severity: "high",
    remediationSteps:
        "Point configuration.url at an https:// endpoint, leave configuration.insecureSsl false, and set " +
        "configuration.secret to the generated webhook secret that Argo CD also reads (webhook.github.secret).",
    configSchema: { properties: {} },
    validateResource: validateTypes(
        [githubTypes.repositoryWebhook, githubTypes.organizationWebhook],
        (props, args, report) => {
            const configuration = known(() => props.configuration);
            if (configuration === unknown)
                args.notApplicable("the configuration is not known during preview");
            if (!isObj(configuration)) {
                report(
                    violation(
                        `Webhook ${args.name} has no configuration.`,
                        "set configuration.url and .secret.",
                    ),
                );
                return;
            }
            const config = obj(configuration);
            const url = known(() => str(config.url));
            if (url !== unknown && !(url ?? "").startsWith("https://")) {
                report(
                    violation(
                        `Webhook ${args.name} delivers to ${url ? describeUrl(url) : "no URL"}, not over HTTPS.`,
                        "use an https:// URL (Argo CD's /api/webhook behind its TLS ingress).",
                    ),
                );
            }
            // Only whether a secret is present matters; its value is never read into a message.
            const secret = known(() => config.secret);
            if (secret !== unknown && (typeof secret !== "string" || secret.length === 0)) {
                report(
                    violation(
                        `Webhook ${args.name} has no secret: anyone can forge deliveries.`,
                        "set configuration.secret to the generated webhook secret Argo CD also holds.",
                    ),
                );
            }
            const insecure = known(() => config.insecureSsl);
            if (insecure !== unknown && insecure !== undefined && !isFalse(insecure) && insecure !== "0") {
                report(
                    violation(
                        `Webhook ${args.name} skips TLS certificate checks (insecureSsl).`,
                        "set configuration.insecureSsl: false and give the endpoint a valid certificate.",
                    ),
                );
            }
        },
    ),
};
