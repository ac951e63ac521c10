package replay

import (
	"testing"

	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/replay/epp"
	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/replay/stage"
)

func TestGAExpectationFollowsAlphaUnlessThePlanDeclaresTheLoss(t *testing.T) {
	// Given a Standard model with weighted targets, planned for v1.0.2 with the rewrite loss accepted
	row := ModelRow{ModelName: "food-review-lora", ClientSends: "x-gateway-inference-objective: food-review; x-gateway-model-name-rewrite: one of a, b (by the weights a=90, b=10)",
		NotKept: "requests without the header get priority 0 and are never shed; the rewrite to a=90, b=10: requests reach the model servers as food-review-lora unless they carry the header"}
	alpha, _ := epp.Lookup("v0.5.1")
	cases := AlphaCases([]stage.InferenceModel{{ModelName: "food-review-lora", Criticality: "Standard", Pool: "p", Targets: []stage.Target{{Name: "a", Weight: 90}, {Name: "b", Weight: 10}}}}, "p", alpha, []ModelRow{row})
	// When the client sends the README's headers, Then the alpha behaviour is expected and no loss shows
	with := GAExpectation(cases[0], true)
	if !with.Shed || with.Served["a"] != 0.9 || with.Loss != "" {
		t.Fatalf("with headers: %+v", with)
	}
	// When it sends none, Then the declared losses are expected: never shed, served as sent
	without := GAExpectation(cases[0], false)
	if without.Shed || without.Served["food-review-lora"] != 1 || without.Loss == "" {
		t.Fatalf("without headers: %+v", without)
	}
}

func TestAlphaCasesAddAModelNoInferenceModelNames(t *testing.T) {
	v030, _ := epp.Lookup("v0.3.0")
	v051, _ := epp.Lookup("v0.5.1")
	// Given no InferenceModel, Then a v0.3.0 EPP refuses the unknown model and a v0.5.1 EPP sheds it as Sheddable
	if c := AlphaCases(nil, "p", v030, nil); len(c) != 1 || !c[0].AlphaRejected {
		t.Fatalf("v0.3.0: %+v", c)
	}
	if c := AlphaCases(nil, "p", v051, nil); c[0].AlphaRejected || !c[0].AlphaShed {
		t.Fatalf("v0.5.1: %+v", c)
	}
}

func TestWithinToleranceRejectsAWrongDistribution(t *testing.T) {
	if ok, _ := WithinTolerance(map[string]int{"a": 178, "b": 22}, map[string]float64{"a": 0.9, "b": 0.1}); !ok {
		t.Fatal("178/22 of 90/10 is within tolerance")
	}
	if ok, why := WithinTolerance(map[string]int{"a": 100, "b": 100}, map[string]float64{"a": 0.9, "b": 0.1}); ok {
		t.Fatal("100/100 is not 90/10: " + why)
	}
	if ok, _ := WithinTolerance(map[string]int{"x": 20}, map[string]float64{"y": 1}); ok {
		t.Fatal("a name never expected must fail")
	}
}

func TestSenderPicksARewriteHeaderByTheREADMEWeights(t *testing.T) {
	s := NewSender()
	counts := map[string]int{}
	for i := 0; i < 1000; i++ {
		counts[s.headerValues(map[string]string{RewriteHeader: "one of a, b (by the weights a=90, b=10)"})[RewriteHeader]]++
	}
	if ok, why := WithinTolerance(counts, map[string]float64{"a": 0.9, "b": 0.1}); !ok {
		t.Fatal(why)
	}
}
