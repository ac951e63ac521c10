package e2e

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Envoy AI Gateway routes to InferencePools with its own AIGatewayRoute kind, and each of its releases
// accepts refs of one InferencePool group only: v0.3.x the alpha group, v0.4.0 and later v1 (the CEL
// rule "only InferencePool from inference.networking.x-k8s.io" / "...k8s.io" of
// manifests/charts/ai-gateway-crds-helm/templates/aigateway.envoyproxy.io_aigatewayroutes.yaml at
// v0.3.0 and v0.4.0). A cluster holds the AIGatewayRoute CRD of the release its routes need; a stage
// whose route moves to the other group needs the AI Gateway upgrade (its CRDs with it), which the
// stage's README must ask for. Both CRDs are optional entries of the lock (imports/crds.lock.json):
// where they cannot be fetched, the migration is recorded as not run, with what to do.

const aiGatewayRouteKind = "AIGatewayRoute"

// aiGatewayCRD is the pinned AIGatewayRoute CRD of the release that serves refs of the group.
func aiGatewayCRD(group string) string {
	release := "v0.4.0"
	if group == alphaPoolGVK.Group {
		release = "v0.3.0"
	}
	return "envoy-ai-gateway-" + release + "/aigateway.envoyproxy.io_aigatewayroutes.yaml"
}

// aiGatewayGroup is the InferencePool group the AIGatewayRoutes among objects refer to ("" when none
// does); an error when they mix groups, which no release accepts.
func aiGatewayGroup(objects []*unstructured.Unstructured) (string, error) {
	groups := map[string]bool{}
	for _, o := range objects {
		if o.GetKind() != aiGatewayRouteKind {
			continue
		}
		rules, _, _ := unstructured.NestedSlice(o.Object, "spec", "rules")
		for _, r := range rules {
			refs, _, _ := unstructured.NestedSlice(r.(map[string]any), "backendRefs")
			for _, ref := range refs {
				if m := ref.(map[string]any); m["kind"] == "InferencePool" {
					groups[fmt.Sprint(m["group"])] = true
				}
			}
		}
	}
	switch len(groups) {
	case 0:
		return "", nil
	case 1:
		for g := range groups {
			return g, nil
		}
	}
	return "", fmt.Errorf("AIGatewayRoutes refer to InferencePools of both groups, which no Envoy AI Gateway release accepts (v0.3.x the alpha group, v0.4.0 and later v1)")
}

// aiGatewayMissing says why the migration cannot run here when a pinned AIGatewayRoute CRD it needs
// is not in imports/crds ("" when both are there or none is needed).
func aiGatewayMissing(objects []*unstructured.Unstructured) string {
	needed := false
	for _, o := range objects {
		needed = needed || o.GetKind() == aiGatewayRouteKind
	}
	if !needed {
		return ""
	}
	var missing []string
	for _, g := range []string{alphaPoolGVK.Group, gaPoolGVK.Group} {
		if _, err := os.Stat(crdFile(aiGatewayCRD(g))); err != nil {
			missing = append(missing, aiGatewayCRD(g))
		}
	}
	if len(missing) == 0 {
		return ""
	}
	return fmt.Sprintf("not run: the pinned AIGatewayRoute CRDs %s (optional entries of imports/crds.lock.json) are not in imports/crds: "+
		"fetch-crds found them neither in the CRD mirror (INFERENCE_MIGRATION_CRD_MIRROR, default ../shared/crds) nor at their URL; "+
		"put the files named there, with their sha256, into the mirror and run npx projen fetch-crds", strings.Join(missing, ", "))
}

var aiGatewayUpgrade = regexp.MustCompile(`(?i)envoy ai gateway.*(upgrade|v0\.4\.0 and later)`)

// upgradeAIGateway installs the AIGatewayRoute CRD of the release a stage's routes need, when the
// cluster has the other: the AI Gateway upgrade the stage's README must ask for (an error when it
// does not). It returns what it did, for the stage's manual steps, or "".
func (m *migrationRun) upgradeAIGateway(ctx context.Context, stage planStage, objects []*unstructured.Unstructured) (string, error) {
	group, err := aiGatewayGroup(objects)
	if err != nil || group == "" || group == m.aiGatewayGroup {
		return "", err
	}
	asked := false
	for _, step := range stage.ManualSteps {
		asked = asked || aiGatewayUpgrade.MatchString(step.Text)
	}
	crd := aiGatewayCRD(group)
	if !asked {
		return "", fmt.Errorf("its AIGatewayRoutes refer to %s InferencePools, which only the Envoy AI Gateway release of %s accepts, and its README does not ask for that upgrade", group, crd)
	}
	if _, err := m.cp.InstallCRDs(ctx, crdFile(crd)); err != nil {
		return "", err
	}
	m.aiGatewayGroup = group
	return "the Envoy AI Gateway upgrade the README asks for, as far as the API server sees it: its AIGatewayRoute CRD " + crd, nil
}
