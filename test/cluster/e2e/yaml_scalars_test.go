package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"sigs.k8s.io/yaml"
)

// YAMLScalarsResult is the "yamlScalars" part of e2e-results.json.
type YAMLScalarsResult struct {
	Rows          int                 `json:"rows"`
	Disagreements []map[string]string `json:"disagreements"`
}

// TestYAMLScalars decodes each row of test/fixtures/yaml-scalars.json (how the project says the API
// server reads a YAML scalar) with sigs.k8s.io/yaml, the decoder the API server and kubectl use, at the
// version the API server is built with, and reports every row where the two disagree.
func TestYAMLScalars(t *testing.T) {
	file := filepath.Join(suite.root, "test", "fixtures", "yaml-scalars.json")
	data, err := os.ReadFile(file)
	if os.IsNotExist(err) {
		t.Skip("test/fixtures/yaml-scalars.json is not in this tree")
	}
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		YAML   string          `json:"yaml"`
		JSON   json.RawMessage `json:"json"`
		Source string          `json:"source"`
	}
	if err := json.Unmarshal(data, &rows); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	result := YAMLScalarsResult{Rows: len(rows), Disagreements: []map[string]string{}}
	for _, row := range rows {
		var want any
		if err := json.Unmarshal(row.JSON, &want); err != nil {
			t.Fatalf("%s: row %q: %v", file, row.YAML, err)
		}
		converted, err := yaml.YAMLToJSON([]byte(row.YAML))
		var got any
		if err == nil {
			err = json.Unmarshal(converted, &got)
		}
		if err != nil || !reflect.DeepEqual(got, want) {
			d := map[string]string{"yaml": row.YAML, "fixture": string(row.JSON), "sigsK8sIoYAML": string(converted), "source": row.Source}
			if err != nil {
				d["error"] = err.Error()
			}
			result.Disagreements = append(result.Disagreements, d)
			t.Errorf("%q: the fixture says %s, sigs.k8s.io/yaml decodes %s (%v)", row.YAML, row.JSON, converted, err)
		}
	}
	if err := writeResult("yaml-scalars", result); err != nil {
		t.Error(err)
	}
}
