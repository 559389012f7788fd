# Run by ../build.sh with bash -euo pipefail in this directory and $out set: builds this tool into "$out".
# Part of the cache key (with go.mod and go.sum): editing it rebuilds this tool only.
export GOTOOLCHAIN=go1.27.3
ver="$(go list -m -f '{{.Version}}' sigs.k8s.io/kustomize/kustomize/v5)"
go build -ldflags "-s -w -X sigs.k8s.io/kustomize/api/provenance.version=kustomize/${ver}" -o "$out/kustomize" sigs.k8s.io/kustomize/kustomize/v5
