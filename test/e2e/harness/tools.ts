import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The Go-built tools of the e2e, one pinned module each under test/e2e/tools/<tool>/. */
export const goTools = [
    "kubernetes",
    "kwok",
    "helm",
    "kustomize",
    "pulumi",
    "pulumi-kubernetes",
    "argocd",
    "argo-rollouts",
] as const;
export type GoTool = (typeof goTools)[number];

const toolsDir = path.join(__dirname, "..", "tools");

/** The tool cache: $GITOPS_E2E_CACHE, default ~/.cache/gitops-platform-e2e (the same as tools/build.sh). */
export function toolCache(): string {
    return process.env.GITOPS_E2E_CACHE ?? path.join(os.homedir(), ".cache", "gitops-platform-e2e");
}

/**
 * The cache key build.sh uses: the first 16 hex digits of sha256(go.mod + go.sum + the tool's build.sh), for
 * an e2e tool or `actionlint` (which the mock suite's harness finds the same way).
 */
export function toolKey(tool: GoTool | "actionlint"): string {
    const hash = createHash("sha256");
    for (const file of [path.join(tool, "go.mod"), path.join(tool, "go.sum"), path.join(tool, "build.sh")]) {
        hash.update(fs.readFileSync(path.join(toolsDir, file)));
    }
    return hash.digest("hex").slice(0, 16);
}

/**
 * Directory holding a tool's binaries: `$GITOPS_E2E_<TOOL>_DIR` first (e.g. GITOPS_E2E_ARGOCD_DIR), then the
 * version-keyed cache. Throws if neither has a complete build (run `test/e2e/tools/build.sh <tool>`).
 */
export function toolDir(tool: GoTool): string {
    const variable = `GITOPS_E2E_${tool.toUpperCase().replace(/-/g, "_")}_DIR`;
    const fromEnv = process.env[variable];
    if (fromEnv) return fromEnv;
    const dir = path.join(toolCache(), `${tool}-${toolKey(tool)}`);
    if (!fs.existsSync(path.join(dir, ".complete"))) {
        throw new Error(`${tool} is not built: set ${variable} or run test/e2e/tools/build.sh ${tool}`);
    }
    return dir;
}

/** The version a tool's module pins (from its go.mod), for the report. */
export function toolVersion(tool: GoTool): string {
    const modules: Record<GoTool, string> = {
        kubernetes: "k8s.io/kubernetes",
        kwok: "sigs.k8s.io/kwok",
        helm: "helm.sh/helm/v4",
        kustomize: "sigs.k8s.io/kustomize/kustomize/v5",
        pulumi: "github.com/pulumi/pulumi/pkg/v3",
        "pulumi-kubernetes": "github.com/pulumi/pulumi-kubernetes/provider/v4",
        argocd: "github.com/argoproj/argo-cd/v3",
        "argo-rollouts": "github.com/argoproj/argo-rollouts",
    };
    const goMod = fs.readFileSync(path.join(toolsDir, tool, "go.mod"), "utf8");
    const line = goMod
        .split("\n")
        .find((l) => l.trim().startsWith(`${modules[tool]} `) || l.startsWith(`require ${modules[tool]} `));
    // `\tk8s.io/kubernetes v1.34.4 // indirect`: the version is the word before the comment.
    return line?.split("//")[0].trim().split(/\s+/).pop() ?? "unknown";
}
