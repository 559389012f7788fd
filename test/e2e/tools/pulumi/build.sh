# Run by ../build.sh with bash -euo pipefail in this directory and $out set: builds this tool into "$out".
# Part of the cache key (with go.mod and go.sum): editing it rebuilds this tool only.
ver="$(go list -m -f '{{.Version}}' github.com/pulumi/pulumi/pkg/v3)"
go build -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$ver" \
    -o "$out/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
