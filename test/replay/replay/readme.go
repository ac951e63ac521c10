package replay

import (
	"os"
	"path/filepath"
	"strings"
)

// readmeSentence returns the first sentence of the stage READMEs that contains a phrase.
func readmeSentence(dir string, stages []PlanStage, phrase string) string {
	for _, s := range stages {
		data, err := os.ReadFile(filepath.Join(dir, s.Folder, "README.md"))
		if err != nil {
			continue
		}
		text := strings.ReplaceAll(string(data), "\n", " ")
		i := strings.Index(text, phrase)
		if i < 0 {
			continue
		}
		start := strings.LastIndex(text[:i], ". ") + 2
		if start < 2 {
			start = 0
		}
		end := strings.Index(text[i:], ". ")
		if end < 0 {
			return text[start:]
		}
		return text[start : i+end+1]
	}
	return ""
}
