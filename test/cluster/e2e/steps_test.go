package e2e

import (
	"context"
	"fmt"
	"strings"

	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/cluster/controlplane"
)

// manualStep is one step a stage README asks the user to do by hand (plan.json stages[].manualSteps).
type manualStep struct {
	Text     string   `json:"text"`
	Commands []string `json:"commands"`
	Timing   string   `json:"timing"`
}

// stepOutcome says what running a step did, for the results and the assertions.
type stepOutcome struct {
	// Ran are the commands run, as run (URLs replaced by the pinned files).
	Ran []string
	// Guarded is set when a "# Only when this lists nothing:" check listed something, so the
	// commands after it were not run, as a user reading the README would not run them.
	Guarded string
}

// runManualStep runs a step's commands as a user would: kubectl and helm against the cluster; a
// URL of a pinned file replaced by that file; after "# Only when this lists nothing:" the next
// command must print nothing, else the rest of the step is not run; at "# ... or" (the README's
// alternative way) the step ends. A command this harness cannot run faithfully is an error.
func runManualStep(ctx context.Context, cp *controlplane.ControlPlane, step manualStep) (stepOutcome, error) {
	var out stepOutcome
	guardNext := false
	for _, line := range step.Commands {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
			continue
		case strings.HasPrefix(line, "#") && strings.Contains(strings.ToLower(line), "only when this lists nothing"):
			guardNext = true
			continue
		case strings.HasPrefix(line, "# ... or"), strings.HasPrefix(line, "# …or"):
			return out, nil
		case strings.HasPrefix(line, "#"):
			continue
		}
		if reason := notRunHere(line); reason != "" {
			out.Ran = append(out.Ran, "not run: "+line+" ("+reason+")")
			guardNext = false
			continue
		}
		args, err := shellWords(line)
		if err != nil {
			return out, fmt.Errorf("%q: %w", line, err)
		}
		printed, ran, err := runCommand(ctx, cp, args)
		out.Ran = append(out.Ran, ran)
		if err != nil {
			return out, err
		}
		if guardNext {
			guardNext = false
			if listed := strings.TrimSpace(printed); listed != "" {
				out.Guarded = fmt.Sprintf("%s listed:\n%s", ran, listed)
				return out, nil
			}
		}
	}
	return out, nil
}

// notRunHere says why a README line is not run by this harness ("" when it is run): the GitOps
// tools' own commands (argocd, flux: here the harness itself is the Flux engine, and the old owner of
// handed-over objects is not simulated) and lines with placeholders the user fills in.
func notRunHere(line string) string {
	switch {
	case strings.HasPrefix(line, "argocd "), strings.HasPrefix(line, "flux "):
		return "a GitOps tool's command: the harness applies the folders itself"
	case strings.Contains(line, "<") && strings.Contains(line, ">"):
		return "it has a placeholder the user fills in"
	}
	return ""
}

// runCommand runs one kubectl or helm command line, with pinned files for URLs.
func runCommand(ctx context.Context, cp *controlplane.ControlPlane, args []string) (string, string, error) {
	if len(args) == 0 {
		return "", "", nil
	}
	if args[0] != "kubectl" && args[0] != "helm" {
		return "", strings.Join(args, " "), fmt.Errorf("manual step %q: only kubectl and helm commands can run here", strings.Join(args, " "))
	}
	resolved, err := resolveURLs(ctx, args[1:])
	if err != nil {
		return "", strings.Join(args, " "), err
	}
	ran := args[0] + " " + strings.Join(resolved, " ")
	var printed string
	if args[0] == "kubectl" {
		printed, err = cp.Kubectl(ctx, resolved...)
	} else {
		printed, err = cp.Helm(ctx, resolved...)
	}
	return printed, ran, err
}

// resolveURLs replaces each `-f <URL>` by `-f <file>` for every pinned file that stands for the URL.
func resolveURLs(ctx context.Context, args []string) ([]string, error) {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if (a == "-f" || a == "--filename") && i+1 < len(args) && strings.HasPrefix(args[i+1], "https://") {
			files, err := pinnedFiles(ctx, args[i+1])
			if err != nil {
				return nil, err
			}
			if len(files) == 0 {
				return nil, fmt.Errorf("%s is not pinned in imports/crds.lock.json: nothing here stands for it, and nothing is downloaded at run time but Go modules", args[i+1])
			}
			for _, f := range files {
				out = append(out, "-f", f)
			}
			i++
			continue
		}
		out = append(out, a)
	}
	return out, nil
}

// shellWords splits a command line as a POSIX shell would for the forms the READMEs use: words
// separated by blanks, '...' and "..." quoting (backslash escapes inside double quotes). Pipes,
// substitutions and redirections are refused: such a line is not a plain command.
func shellWords(line string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '\'':
			end := strings.IndexByte(line[i+1:], '\'')
			if end < 0 {
				return nil, fmt.Errorf("unterminated single quote")
			}
			cur.WriteString(line[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case c == '"':
			j := i + 1
			for ; j < len(line) && line[j] != '"'; j++ {
				if line[j] == '\\' && j+1 < len(line) {
					j++
				}
				cur.WriteByte(line[j])
			}
			if j >= len(line) {
				return nil, fmt.Errorf("unterminated double quote")
			}
			i = j
			inWord = true
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case strings.IndexByte("|&;<>`$(){}", c) >= 0:
			return nil, fmt.Errorf("shell syntax %q is not a plain command", string(c))
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}
