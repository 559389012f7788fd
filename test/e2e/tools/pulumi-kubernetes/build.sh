# Run by ../build.sh with bash -euo pipefail in this directory and $out set: builds this tool into "$out".
# Part of the cache key (with go.mod and go.sum): editing it rebuilds this tool only.
# The module zip lacks the generated schema-embed.json and terraform-mapping-embed.json that main.go
# embeds (upstream's generate.go writes them: the schema with its version set, both re-serialised).
# Build the provider as the main module, from a writable copy with those files added and this wrapper's
# replace lines (its `sdk/v4 => ../sdk` pointed at a served version; pulumi/sdk kept at pulumi/pkg's).
ver="4.34.2"
# `go list -m` leaves .Dir empty until the module is in the module cache (a new machine), and copying
# "$mod"/. with an empty $mod copies the whole filesystem: download it first and refuse anything else.
mod="$(go mod download -json github.com/pulumi/pulumi-kubernetes/provider/v4 |
    node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).Dir ?? "")')"
[ -n "$mod" ] && [ -f "$mod/go.mod" ] || { echo "provider module not in the module cache: '$mod'" >&2; exit 1; }
src="$(mktemp -d)"
trap 'rm -rf "$src"' EXIT
cp -r "$mod"/. "$src/" && chmod -R u+w "$src"
node -e '
    const fs = require("fs"), [dir, version] = process.argv.slice(1);
    const schema = JSON.parse(fs.readFileSync(dir + "/schema.json", "utf8"));
    schema.version = version;
    fs.writeFileSync(dir + "/schema-embed.json", JSON.stringify(schema));
    const mapping = JSON.parse(fs.readFileSync(dir + "/terraform-mapping.json", "utf8"));
    fs.writeFileSync(dir + "/terraform-mapping-embed.json", JSON.stringify(mapping));
' "$src/cmd/pulumi-resource-kubernetes" "$ver"
cat go.sum >>"$src/go.sum"
replaces=()
while read -r from _ to version; do replaces+=(-replace "$from=$to@$version"); done \
    < <(go mod edit -json | node -e 'for (const r of JSON.parse(require("fs").readFileSync(0, "utf8")).Replace) console.log(r.Old.Path, "=>", r.New.Path, r.New.Version)')
# -mod=mod: the replaced sdk adds requirements; they resolve as in this wrapper (same graph, pinned by go.sum).
(cd "$src" && go mod edit "${replaces[@]}" && export GOFLAGS="$GOFLAGS -mod=mod" &&
    go build -ldflags "-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$ver" \
        -o "$out/pulumi-resource-kubernetes" ./cmd/pulumi-resource-kubernetes)
