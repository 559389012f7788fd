# Run by ../build.sh with bash -euo pipefail in this directory and $out set: builds this tool into "$out".
# Part of the cache key (with go.mod and go.sum): editing it rebuilds this tool only.
ver="$(go list -m -f '{{.Version}}' github.com/argoproj/argo-rollouts)"
go build -ldflags "-s -w -X github.com/argoproj/argo-rollouts/utils/version.version=${ver}" \
    -o "$out/rollouts-controller" github.com/argoproj/argo-rollouts/cmd/rollouts-controller
# The CRDs the argo-rollouts chart installs (the e2e's stand-in chart carries them).
mod="$(go list -m -f '{{.Dir}}' github.com/argoproj/argo-rollouts)"
mkdir -p "$out/crds"
cp "$mod"/manifests/crds/*-crd.yaml "$out/crds/"
chmod -R u+w "$out/crds"
