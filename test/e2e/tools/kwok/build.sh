# Run by ../build.sh with bash -euo pipefail in this directory and $out set: builds this tool into "$out".
# Part of the cache key (with go.mod and go.sum): editing it rebuilds this tool only.
go build -ldflags "-s -w" -o "$out/kwok" sigs.k8s.io/kwok/cmd/kwok
# kwok refuses to start without stages; the module ships them.
mod="$(go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)"
mkdir -p "$out/stages"
for stage in node/fast node/heartbeat-with-lease pod/fast; do
    for file in "$mod/kustomize/stage/$stage"/*.yaml; do
        [ "$(basename "$file")" = kustomization.yaml ] || cp "$file" "$out/stages/"
    done
done
chmod -R u+w "$out/stages"
