/**
 * Warnings a stage README carries are the migration's warnings too (`migration.warnings`), and `app.synth()`
 * shows them: printed on stderr and recorded as construct metadata of type `warning`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { KServeGatewayApiMigration, SimpleMigration, ZeroDowntimeMigration } from '../../src';

const props = {
  alphaPool: { existing: { name: 'vllm-alpha', modelServerSelector: { app: 'vllm' } } },
  gateway: { name: 'inference-gateway' },
  routeName: 'llm-route',
};

/** Runs `app.synth()` and returns what it printed on stderr. */
function synthStderr(app: App): string {
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    app.synth();
    return spy.mock.calls.map((c) => String(c[0])).join('');
  } finally {
    spy.mockRestore();
  }
}

const newApp = () => new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'warnings-')) });

describe('migration warnings', () => {
  test('given a stage README with a warning of its own, then migration.warnings lists it under the stage folder', () => {
    // Given a gateway nothing is known about: the shift stage's README warns
    const m = new ZeroDowntimeMigration(new Chart(newApp(), 'platform'), 'llm', props);
    // Then
    expect(m.stages[1].warnings).toEqual([expect.stringMatching(/^Gateway implementation generic: Nothing is known/)]);
    expect(m.warnings).toContain(`02-shift-50: ${m.stages[1].warnings[0]}`);
  });

  test('given the simple path, then its downtime warning is in migration.warnings', () => {
    const m = new SimpleMigration(new Chart(newApp(), 'platform'), 'llm', props);
    expect(m.warnings).toContain('01-remove-alpha: Inference requests fail from this stage until 02-install-ga is synced and verified.');
  });

  test('given a selected stage, when the app synthesizes, then each warning is printed once on stderr and recorded as metadata', () => {
    // Given
    const app = newApp();
    const m = new ZeroDowntimeMigration(new Chart(app, 'platform'), 'llm', { ...props, activeStage: 'side-by-side' });
    // When synthesized twice
    const first = synthStderr(app);
    const second = synthStderr(app);
    // Then
    expect(first.split('\n').filter((l) => l.startsWith('warning: [platform/llm] '))).toHaveLength(m.warnings.length);
    expect(first).toContain('warning: [platform/llm] 02-shift-50: Gateway implementation generic: Nothing is known about this implementation');
    expect(second).toBe('');
    expect(m.node.metadata.filter((e) => e.type === 'warning').map((e) => e.data)).toEqual(m.warnings);
  });

  test('given a KServe migration with only the ingress JSON, then its server-side warning is printed by app.synth()', () => {
    const app = newApp();
    const k = new KServeGatewayApiMigration(new Chart(app, 'platform'), 'kserve', {
      ingressConfig: '{"ingressGateway": "knative-serving/knative-ingress-gateway"}',
      activeStage: '01-gateway',
    });
    expect(k.warnings.length).toBeGreaterThan(0);
    expect(synthStderr(app)).toContain(`warning: [platform/kserve] ${k.warnings[0].split('\n')[0]}`);
  });
});
