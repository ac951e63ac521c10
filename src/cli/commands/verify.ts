import { spawnSync } from 'child_process';
import * as path from 'path';
import { Command, Option } from 'commander';
import type { CliCommand } from './index';
import { UserError } from '../../core/errors';
import type * as MigrationFolder from '../../discover/migration-folder';
import type * as Verification from '../../migration/cluster-verification';
import type * as PlanFileModule from '../../migration/plan-file';
import { CliContext, EXIT, UsageError } from '../context';
import { load } from '../lazy';

interface VerifyFlags {
  readonly stage?: string;
  readonly kubeconfig?: string;
  readonly output: 'text' | 'json';
}

/** kubectl runs of one check: more than enough for `get -o json` of one object. */
const KUBECTL_TIMEOUT_MS = 60_000;

/** `verify`: the read-only checks of the active stage against the cluster, through the user's kubectl. */
export const verifyCommand: CliCommand = {
  path: ['verify'],
  register(parent: Command, ctx: CliContext): Command {
    return parent.command('verify')
      .summary('check a stage against the cluster (objects, pools of the routes, route conditions, dry run of the next stage)')
      .description('Runs the read-only checks of one stage of the migration in MIGRATION_DIR through your kubectl, against the cluster of the ' +
        'current kubeconfig context (or --kubeconfig): every object of the stage exists with the fields its file sets, every InferencePool its ' +
        'routes send to exists, the route conditions a gateway wrote are true, and the next stage passes a server-side dry run with strict ' +
        'field validation. Prints pass, fail or not-run per check with the kubectl command that checks it by hand. For promotion gates: an ' +
        'Argo CD PostSync hook, a Flux health check, a CI job before promote.')
      .argument('<migration-dir>', 'folder of one migration (holds plan.json and the stage folders)')
      .option('--stage <stage>', 'the stage to check: folder (02-shift-50) or name (default: the last stage whose objects all exist in the cluster)')
      .option('--kubeconfig <file>', 'kubeconfig file for kubectl (default: kubectl\'s own: $KUBECONFIG or ~/.kube/config)')
      .addOption(new Option('--output <format>', 'text or json').choices(['text', 'json']).default('text'))
      .addHelpText('after', [
        '',
        'Examples:',
        '  $ inference-migrate verify migrations/vllm-llama3-8b-instruct --stage 02-shift-50',
        '  $ inference-migrate verify migrations/vllm-llama3-8b-instruct --output json',
        '',
        'Exit codes: 0 every check that ran passed, 1 a check failed (or bad input, or kubectl missing), 64 usage error.',
      ].join('\n'))
      .action((dir: string, flags: VerifyFlags) => {
        if (flags.stage !== undefined && flags.stage.trim() === '') throw new UsageError('--stage needs a stage folder or name');
        const folder = load<typeof MigrationFolder>('../discover/migration-folder');
        const { parsePlanFile } = load<typeof PlanFileModule>('../migration/plan-file');
        const { verifyStage, activeStage } = load<typeof Verification>('../migration/cluster-verification');
        const read = folder.readMigrationFolder(dir);
        const plan = parsePlanFile(read.planText, read.planFile);
        for (const s of plan.stages) {
          if (s.folder === '.' || s.folder === '..') throw new UserError(`${read.planFile}: the stage folder ${s.folder} is not a folder of the migration`);
        }
        const kubectl = kubectlRunner(flags.kubeconfig);
        const stageName = flags.stage ?? activeStage(plan, kubectl);
        const stage = plan.stages.find((s) => s.folder === stageName || s.name === stageName);
        const objects = stage ? folder.readStageObjects(dir, stage) : new Map();
        const next = stage ? plan.stages[plan.stages.indexOf(stage) + 1] : undefined;
        const result = verifyStage({ plan, stage: stageName, objects, kubectl, nextStageDir: next ? path.join(dir, next.folder) : undefined });
        ctx.io.stdout(flags.output === 'json' ? `${JSON.stringify(result, null, 2)}\n` : formatText(result, flags.stage === undefined));
        ctx.exitCode = result.failed === 0 ? EXIT.OK : EXIT.FAILURE;
      });
  },
};

/** Runs the user's kubectl (from PATH), with --kubeconfig when given. */
function kubectlRunner(kubeconfig: string | undefined): Verification.KubectlRunner {
  return (args) => {
    const r = spawnSync('kubectl', [...(kubeconfig !== undefined ? ['--kubeconfig', kubeconfig] : []), ...args], {
      encoding: 'utf8', timeout: KUBECTL_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UserError('kubectl is not on PATH: verify runs its checks through your kubectl (install it, or put it on PATH)');
    }
    if (r.error) return { status: -1, stdout: '', stderr: `kubectl: ${r.error.message}` };
    return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  };
}

function formatText(r: Verification.ClusterVerification, detected: boolean): string {
  const lines = [`migration ${r.migration}, stage ${r.stage}${detected ? ' (the last stage whose objects all exist)' : ''}:`];
  for (const c of r.checks) {
    lines.push(`  ${c.outcome.toUpperCase().padEnd(7)} ${c.check}`);
    if (c.detail) lines.push(`          ${c.detail}`);
    if (c.command) lines.push(`          $ ${c.command}`);
  }
  lines.push(`${r.passed} passed, ${r.failed} failed, ${r.notRun} not run`);
  return `${lines.join('\n')}\n`;
}
