#!/usr/bin/env bash
# Builds the real components the e2e runs, from the Go modules pinned beside this script, into a
# version-keyed cache: $GITOPS_E2E_CACHE (default ~/.cache/gitops-platform-e2e)/<tool>-<key>/.
# Each tool is a directory here: go.mod and go.sum pin it, build.sh builds it. The key hashes those three
# files, so a pin change rebuilds that tool and a warm run only checks that its build is complete.
# Prints one line per tool: "<tool> <cached|built> <seconds> <dir>".
#
# Usage: build.sh [tool ...]   (default: every e2e tool; `actionlint`, which only the mock suite uses, is
# built when named: .ci/run does that before the tests)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${GITOPS_E2E_CACHE:-$HOME/.cache/gitops-platform-e2e}"
mkdir -p "$cache"
# One build at a time per cache: a second run (e.g. the e2e after CI started the builds in the background)
# waits here, then finds what the first one built.
exec 9>"$cache/.lock"
flock 9
export GOFLAGS="${GOFLAGS:--buildvcs=false} -trimpath"
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"

key() { cat "$here/$1/go.mod" "$here/$1/go.sum" "$here/$1/build.sh" | sha256sum | cut -c1-16; }

tools=("$@")
[ ${#tools[@]} -gt 0 ] || tools=(helm kustomize kwok kubernetes pulumi argocd pulumi-kubernetes argo-rollouts)
for tool in "${tools[@]}"; do
    out="$cache/$tool-$(key "$tool")"
    if [ -f "$out/.complete" ]; then
        echo "$tool cached 0 $out"
        continue
    fi
    start=$SECONDS
    rm -rf "$out.tmp" && mkdir -p "$out.tmp"
    (cd "$here/$tool" && out="$out.tmp" bash -euo pipefail build.sh) >"$cache/$tool.build.log" 2>&1 || {
        echo "build of $tool failed; last lines of $cache/$tool.build.log:" >&2
        tail -40 "$cache/$tool.build.log" >&2
        exit 1
    }
    touch "$out.tmp/.complete" && rm -rf "$out" && mv "$out.tmp" "$out"
    echo "$tool built $((SECONDS - start)) $out"
done
