import { strict as assert } from "node:assert";
import * as github from "@pulumi/github";
import * as k8s from "@pulumi/kubernetes";
import * as tls from "@pulumi/tls";
import { fleetConfig } from "../../scripts/bench/fleet";
import { providerClass, replay } from "../../scripts/bench/replay";
import { installMocks, settle } from "../harness/mocks";
import type { RecordedResource } from "../harness/recorder";
import { runPlatform } from "../harness/run";

function summary(resources: RecordedResource[]): string[] {
    return resources.map((r) => `${r.type}::${r.name} ${JSON.stringify(r.inputs)}`).sort();
}

describe("benchmark replay", () => {
    it("finds the provider class behind each type token, and none for CRD kinds", () => {
        assert.equal(providerClass("github:index/repositoryFile:RepositoryFile"), github.RepositoryFile);
        assert.equal(providerClass("tls:index/privateKey:PrivateKey"), tls.PrivateKey);
        assert.equal(providerClass("kubernetes:core/v1:Namespace"), k8s.core.v1.Namespace);
        assert.equal(providerClass("kubernetes:helm.sh/v3:Release"), k8s.helm.v3.Release);
        assert.equal(providerClass("kubernetes:argoproj.io/v1alpha1:ApplicationSet"), undefined);
        assert.equal(providerClass("github:index/noSuchThing:NoSuchThing"), undefined);
    });

    for (const environment of ["dev", "prod"]) {
        it(`registers exactly what the program registered, for a ${environment} fleet`, async () => {
            const program = (await runPlatform(environment, fleetConfig(environment, 3))).resources;
            assert.ok(program.length > 30, `${program.length} resources`);

            const recorder = await installMocks("gitops-platform", "replay");
            replay(program);
            await settle();

            assert.deepEqual(summary(recorder.resources), summary(program));
        });
    }
});
