// Installs recording mocks before any test imports program code, so nothing ever talks to a real engine.
import { installMocks } from "./harness/mocks";
import { projectName } from "./harness/stackConfig";

export const mochaHooks = {
    async beforeAll(): Promise<void> {
        await installMocks(projectName, "test");
    },
};
