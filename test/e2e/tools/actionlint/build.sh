# Run by ../build.sh with bash -euo pipefail in this directory and $out set: builds this tool into "$out".
# Part of the cache key (with go.mod and go.sum): editing it rebuilds this tool only.
# Not an e2e engine: the mock suite lints every workflow with it (test/harness/actionlint.ts), with
# Debian's shellcheck on the PATH for the `run:` scripts.
go build -ldflags "-s -w" -o "$out/actionlint" github.com/rhysd/actionlint/cmd/actionlint
