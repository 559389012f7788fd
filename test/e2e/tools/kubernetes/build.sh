# Run by ../build.sh with bash -euo pipefail in this directory and $out set: builds this tool into "$out".
# Part of the cache key (with go.mod and go.sum): editing it rebuilds this tool only.
ver="v1.34.4"
v="-X k8s.io/component-base/version.gitVersion=$ver -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=34"
v="$v -X k8s.io/client-go/pkg/version.gitVersion=$ver -X k8s.io/client-go/pkg/version.gitMajor=1 -X k8s.io/client-go/pkg/version.gitMinor=34"
v="$v -X k8s.io/component-base/version.gitTreeState=clean -X k8s.io/component-base/version.buildDate=2026-01-01T00:00:00Z"
for cmd in kube-apiserver kube-controller-manager kube-scheduler; do
    go build -ldflags "-s -w $v" -o "$out/$cmd" "k8s.io/kubernetes/cmd/$cmd"
done
