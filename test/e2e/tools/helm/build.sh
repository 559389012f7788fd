# Run by ../build.sh with bash -euo pipefail in this directory and $out set: builds this tool into "$out".
# Part of the cache key (with go.mod and go.sum): editing it rebuilds this tool only.
ver="$(go list -m -f '{{.Version}}' helm.sh/helm/v4)"
go build -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=${ver}" -o "$out/helm" helm.sh/helm/v4/cmd/helm
