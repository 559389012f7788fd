/**
 * Argo CD stopped assessing the health of `Application` resources in 1.8, so an app-of-apps root does not
 * wait for a child Application to be healthy before syncing the next wave. This argocd-cm entry restores
 * it (the Lua script from Argo CD's documentation): a child is as healthy as its own status says, and
 * Progressing until it has one.
 */
export const applicationHealthKey = "resource.customizations.health.argoproj.io_Application";

export const applicationHealthLua = `hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil then
  if obj.status.health ~= nil then
    hs.status = obj.status.health.status
    if obj.status.health.message ~= nil then
      hs.message = obj.status.health.message
    end
  end
end
return hs
`;

/** The argocd-cm entries that make sync waves of Applications wait for health. */
export function applicationHealthConfig(): Record<string, string> {
    return { [applicationHealthKey]: applicationHealthLua };
}
