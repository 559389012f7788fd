/**
 * The plugin's entry point (package.json `main`): serves the wrappers in `index.ts` as the
 * `gitops-platform` package. Importing it starts the provider, so nothing else imports it.
 *
 * Hosted explicitly, and exporting nothing: were `main` to export the classes, Pulumi would host them
 * itself under a package named after package.json (`gitops-platform-plugin`), but the type tokens are
 * `gitops-platform:index:<Class>`.
 */
import { componentProviderHost } from "@pulumi/pulumi/provider/experimental";
import { AppRepository, AppSeed, Application, WorkloadCluster } from "./index";

void componentProviderHost({
    name: "gitops-platform",
    dirname: __dirname,
    components: [Application, AppRepository, AppSeed, WorkloadCluster],
});
