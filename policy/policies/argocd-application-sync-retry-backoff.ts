import { applicationViews } from "../lib/argo";
import { validateTypes, type PackResourcePolicy } from "../lib/policy";
import { argoTypes } from "../lib/types";
import { at, isObj, isTemplated, num, str, violation } from "../lib/values";

interface Config {
    minLimit?: number;
    minFactor?: number;
}

/** A Go duration as Argo CD parses it: `5s`, `3m`, `1m30s`. */
const duration = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

const fix =
    "set syncPolicy.retry with a limit and an exponential backoff " +
    "(stack config `sync.retry: { limit, backoff: { duration, factor, maxDuration } }`).";

/** A failed sync is retried a bounded number of times, backing off exponentially. */
export const argocdApplicationSyncRetryBackoff: PackResourcePolicy = {
    name: "argocd-application-sync-retry-backoff",
    description:
        "Argo CD Applications retry failed syncs a bounded number of times with exponential backoff.",
    severity: "low",
    remediationSteps:
        "Set spec.syncPolicy.retry: `limit` at least the configured minimum, and `backoff` with `duration`, " +
        "`factor` (at least the configured minimum) and `maxDuration`; the stack config's `sync.retry` sets all of it.",
    configSchema: {
        properties: {
            minLimit: {
                type: "integer",
                minimum: 1,
                default: 2,
                description: "Smallest retry limit allowed.",
            },
            minFactor: {
                type: "number",
                minimum: 1,
                default: 2,
                description: "Smallest backoff factor allowed.",
            },
        },
    },
    validateResource: validateTypes(
        [argoTypes.application, argoTypes.applicationSet],
        (props, args, report) => {
            const config = args.getConfig<Config>();
            const minLimit = config.minLimit ?? 2;
            const minFactor = config.minFactor ?? 2;
            for (const view of applicationViews(args.type, props)) {
                const retry = at(view.spec, "syncPolicy", "retry");
                if (!isObj(retry)) {
                    report(
                        violation(
                            `${view.where} has no syncPolicy.retry: one failed sync stays failed.`,
                            fix,
                        ),
                    );
                    continue;
                }
                const problems: string[] = [];
                const limit = num(retry.limit);
                if (!(view.template && isTemplated(retry.limit))) {
                    if (limit === undefined) problems.push("no retry.limit");
                    else if (limit < 0) problems.push(`retry.limit ${limit} retries forever`);
                    else if (limit < minLimit) problems.push(`retry.limit ${limit} is below ${minLimit}`);
                }
                const backoff = retry.backoff;
                if (!isObj(backoff)) {
                    problems.push("no retry.backoff");
                } else {
                    for (const key of ["duration", "maxDuration"]) {
                        const value = str(backoff[key]);
                        if (value === undefined || !(duration.test(value) || isTemplated(value))) {
                            problems.push(`retry.backoff.${key} is not a duration such as 10s`);
                        }
                    }
                    const factor = num(backoff.factor);
                    if (factor === undefined) problems.push("no retry.backoff.factor");
                    else if (factor < minFactor) {
                        problems.push(
                            `retry.backoff.factor ${factor} is below ${minFactor} (no exponential backoff)`,
                        );
                    }
                }
                if (problems.length > 0) report(violation(`${view.where}: ${problems.join("; ")}.`, fix));
            }
        },
    ),
};
