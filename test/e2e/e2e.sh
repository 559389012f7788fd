#!/usr/bin/env bash
# npm run e2e: installs the Debian packages the run needs, builds (or finds cached) the pinned Go tools,
# then runs test/e2e/run.ts inside a network namespace of its own, so every server it starts (and the
# Argo CD ports that bind all interfaces) stays on that namespace's loopback. Needs root (apt, ip netns).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=out/e2e
mkdir -p "$out"

mapfile -t packages < <(grep -v '^#' test/e2e/debian-packages.txt | grep -v '^$')
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f '${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "e2e: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
dpkg-query -W -f '${Package}\t${Version}\n' "${packages[@]}" >"$out/debian-packages.txt"

echo "e2e: Go tools (pinned in test/e2e/tools/*/go.mod; cache ${GITOPS_E2E_CACHE:-$HOME/.cache/gitops-platform-e2e})"
bash test/e2e/tools/build.sh | tee "$out/tools.txt"

namespace="gitops-e2e-$$"
ip netns add "$namespace"
trap 'ip netns del "$namespace" 2>/dev/null || true' EXIT
ip netns exec "$namespace" ip link set lo up
ip netns exec "$namespace" env GITOPS_E2E_TOOLS="$out/tools.txt" \
    node_modules/.bin/tsx test/e2e/run.ts "$@"
