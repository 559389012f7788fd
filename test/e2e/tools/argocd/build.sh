# Run by ../build.sh with bash -euo pipefail in this directory and $out set: builds this tool into "$out".
# Part of the cache key (with go.mod and go.sum): editing it rebuilds this tool only.
export GOTOOLCHAIN=go1.27.3
ver="$(go list -m -f '{{.Version}}' github.com/argoproj/argo-cd/v3)"
go build -ldflags "-s -w -X github.com/argoproj/argo-cd/v3/common.version=${ver#v}" -o "$out/argocd" \
    github.com/argoproj/argo-cd/v3/cmd
# The repo server runs git-verify-wrapper.sh on every fetch; its CRDs and base objects come from manifests/.
mod="$(go list -m -f '{{.Dir}}' github.com/argoproj/argo-cd/v3)"
mkdir -p "$out/hack" "$out/manifests"
cp "$mod"/hack/git-verify-wrapper.sh "$mod"/hack/gpg-wrapper.sh "$out/hack/" 2>/dev/null || cp "$mod"/hack/git-verify-wrapper.sh "$out/hack/"
cp -r "$mod"/manifests/crds "$out/manifests/"
cp "$mod"/manifests/install.yaml "$out/manifests/"
chmod -R u+w "$out"
chmod +x "$out"/hack/*.sh
for name in argocd-application-controller argocd-repo-server argocd-server argocd-applicationset-controller \
    argocd-notifications argocd-cmp-server argocd-git-ask-pass; do
    ln -sf argocd "$out/$name"
done
