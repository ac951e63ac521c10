import { Command, Option } from 'commander';
import type { CliCommand } from './index';
import { parseNameSuffix, parseSteps } from './options';
import type * as Planner from '../../discover/inference-planner';
import type * as PlanBuilder from '../../discover/plan-builder';
import type * as Reader from '../../discover/repo-reader';
import type * as SourceValidation from '../../discover/source-validation';
import { InferenceProvider } from '../../inference/types';
import { GatewayCapabilities } from '../../migration/gateway-capabilities';
import { GatewayImplementation } from '../../migration/gateway-implementation';
import { MigrationStrategy } from '../../migration/migration-strategy';
import type * as Output from '../../output';
import { CliContext, EXIT, printSkipped, printWarnings, UsageError } from '../context';
import { load } from '../lazy';
import { OutFlags, forceOption, keptLines, keepUnknownFilesOption, openOut, writeOut } from '../output';

interface PlanFlags extends OutFlags {
  readonly from: string;
  readonly steps?: number[];
  readonly provider?: InferenceProvider;
  readonly gateway?: GatewayImplementation;
  readonly strategy?: MigrationStrategy;
  readonly gaNameSuffix: string;
  readonly validate: boolean;
  readonly verbose?: boolean;
}

/** `plan`: one zero-downtime migration per alpha InferencePool found under a directory. */
export const planCommand: CliCommand = {
  path: ['plan'],
  register(parent: Command, ctx: CliContext): Command {
    return parent.command('plan')
      .summary('write a zero-downtime migration for every alpha InferencePool under a directory')
      .description('Reads every YAML file under --from (plain manifests, multi-document files, kustomize build or helm template output; ' +
        'kustomizations, Helm values and templates are skipped) and writes one zero-downtime migration per v1alpha2 InferencePool into --out: ' +
        'stage folders with kustomizations and READMEs, validated against the pinned CRDs before anything is written.')
      .requiredOption('--from <dir>', 'directory of manifests to read')
      .requiredOption('--out <dir>', 'directory to write (new or empty; see --force)')
      .option('--steps <weights>', 'GA weights of the traffic-shift stages, increasing integers in 1..99 (default: 50)', parseSteps)
      .addOption(new Option('--provider <name>', 'platform of the GA pool (default: gke when the alpha pool has GKE policies, else none)')
        .choices(Object.values(InferenceProvider)))
      .addOption(new Option('--gateway <implementation>', 'Gateway API implementation that serves the routes (default: gke with --provider gke, istio with --provider istio, else generic)')
        .choices(Object.values(GatewayImplementation)))
      .addOption(new Option('--strategy <strategy>', 'how traffic moves; header-preview-cutover for gateways that cannot split a rule between two pools (default: weighted-shift)')
        .choices(Object.values(MigrationStrategy)))
      .option('--ga-name-suffix <suffix>', 'suffix of the GA pool name, replacing a trailing -alpha or -preview', parseNameSuffix, '-ga')
      .addOption(forceOption())
      .addOption(keepUnknownFilesOption())
      .option('--no-validate', 'skip validating the input and the stages against the pinned CRDs')
      .addHelpText('after', [
        '',
        'Examples:',
        '  $ inference-migrate plan --from gitops/apps/llm --out gitops/migrations',
        '  $ inference-migrate plan --from rendered/ --out migrations --provider gke --steps 10,50,90',
        '',
        'Exit codes: 0 written (or nothing to migrate), 1 bad input, validation problems or refused --out, 64 usage error.',
      ].join('\n'))
      .action((flags: PlanFlags, cmd: Command) => {
        ctx.exitCode = runPlan({ ...flags, verbose: cmd.optsWithGlobals().verbose }, ctx);
      });
  },
};

function runPlan(flags: PlanFlags, ctx: CliContext): number {
  if (flags.strategy === MigrationStrategy.HEADER_PREVIEW_CUTOVER && flags.steps !== undefined) {
    throw new UsageError('--steps cannot be combined with --strategy header-preview-cutover, which moves all traffic at once');
  }
  const out = openOut(ctx, 'plan', flags, { path: flags.from, label: `--from ${flags.from}` });
  try {
    return planInto(out, flags, ctx);
  } finally {
    out.close();
  }
}

function planInto(out: Output.OutputDirectory, flags: PlanFlags, ctx: CliContext): number {
  const { io } = ctx;
  const output = load<typeof Output>('../output');
  const reader = load<typeof Reader>('../discover/repo-reader');
  const planner = load<typeof Planner>('../discover/inference-planner');

  const repo = reader.readRepo(flags.from);
  if (flags.verbose) printSkipped(io, repo.root, repo.skipped, reader.displayPath);
  const fromInGit = output.gitRelativePath(flags.from);
  const plan = planner.planRepo(repo, {
    sourcePaths: fromInGit !== undefined
      ? { prefix: fromInGit, relativeTo: 'the root of the Git repository' }
      : { prefix: '', relativeTo: `the planned directory ${flags.from}` },
    steps: flags.steps,
    provider: flags.provider,
    gateway: flags.gateway,
    strategy: flags.strategy,
    gaNameSuffix: flags.gaNameSuffix,
  });
  if (plan.migrations.length === 0) {
    printWarnings(io, plan.warnings);
    io.stdout(`nothing to migrate: no v1alpha2 InferencePool under ${flags.from} (${repo.objects.length} objects in ${repo.files.length} files read); nothing was written\n`);
    return EXIT.OK;
  }
  checkGateways(plan.migrations);

  if (flags.validate) {
    const inputs = plan.migrations.flatMap((m) => [...m.carried, ...m.routes]);
    const problems = load<typeof SourceValidation>('../discover/source-validation').validateSources(inputs);
    if (problems.length > 0) {
      throw new reader.InputError(problems.map((p) => ({ ...p, message: `input does not pass validation: ${p.message}` })), repo.root);
    }
  }

  const planBuilder = load<typeof PlanBuilder>('../discover/plan-builder');
  const built = planBuilder.buildPlan(plan, repo.root);
  const rendered = planBuilder.renderPlan(built, flags.out, { validate: flags.validate, repoPath: output.repoPathOf(flags.out) });
  const result = writeOut(ctx, out, rendered.files);

  printWarnings(io, [...plan.warnings, ...built.migrations.flatMap((m) => m.migration.warnings)]);
  const lines = [`planned ${built.migrations.length} migration${built.migrations.length === 1 ? '' : 's'} into ${flags.out}${flags.validate ? ' (every stage validated)' : ''}:`];
  for (const { planned, migration } of built.migrations) {
    const pool = planned.alphaPool;
    lines.push(
      `  ${migration.migrationName}/: alpha pool ${planned.namespace}/${migration.alphaPoolName} (${reader.displayPath(repo.root, pool.file)}:${pool.line}) -> GA pool ${migration.gaPoolName}`,
      `    routes:  ${planned.props.routes!.map((r) => `${r.namespace}/${r.name}`).join(', ')}`,
      `    carried: ${planned.carried.length} alpha object${planned.carried.length === 1 ? '' : 's'} from ${new Set(planned.carried.map((c) => c.file)).size} file(s)`,
      `    stages:  ${migration.stages.map((s) => s.folderName).join(', ')}`,
    );
  }
  lines.push(...keptLines(result));
  lines.push(`next: read ${flags.out.replace(/\/$/, '')}/<migration>/README.md; remove the carried objects from their old place in the same change that syncs 01-side-by-side (listed in its README)`);
  io.stdout(`${lines.join('\n')}\n`);
  return EXIT.OK;
}

/** A gateway that cannot split one rule between two pools needs the header-preview-cutover strategy. */
function checkGateways(migrations: Planner.PlannedMigration[]): void {
  for (const m of migrations) {
    const gateway = m.props.gatewayImplementation;
    if (gateway === undefined || m.props.strategy !== undefined) continue;
    const cap = GatewayCapabilities.of(gateway);
    if (cap.weightedAlphaAndGa === 'no') {
      throw new UsageError(`--gateway ${gateway}: ${cap.note} Add --strategy header-preview-cutover: a stage sends requests with a preview header to the GA pool, then one stage moves all traffic at once`);
    }
  }
}
