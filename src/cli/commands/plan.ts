import { Command, Option } from 'commander';
import type { CliCommand } from './index';
import { collectChoices, collectLabel, parseAlphaCrdVersion, parseNameSuffix, parseSteps, parseTargetGie } from './options';
import { NEWEST_BRIDGE_GIE } from '../../convert/gie-versions';
import type * as Planner from '../../discover/inference-planner';
import type * as PlanBuilder from '../../discover/plan-builder';
import type * as Reader from '../../discover/repo-reader';
import type * as SourceValidation from '../../discover/source-validation';
import { InferenceProvider } from '../../inference/types';
import { GatewayImplementation } from '../../migration/gateway-implementation';
import { MigrationLoss } from '../../migration/migration-loss';
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
  readonly targetGie: string;
  readonly acceptLoss?: MigrationLoss[];
  readonly strict?: boolean;
  readonly gatewayVersion?: string;
  readonly alphaCrdVersion?: string;
  readonly newGatewayName?: string;
  readonly newGatewayClass?: string;
  readonly newGatewayLabel?: { [key: string]: string };
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
      .option('--target-gie <version>', `GIE release to migrate to: a bridge release whose CRDs serve both pools, v1.0.0, v1.0.2, v1.1.0, v1.2.0, v1.3.1 or v1.4.0 (default: ${NEWEST_BRIDGE_GIE}, the newest)`, parseTargetGie, NEWEST_BRIDGE_GIE)
      .addOption(new Option('--strategy <strategy>', 'how traffic moves (default: the one that works on --gateway: weighted-shift; header-preview-cutover where a rule cannot split between two pools; parallel-gateway where no gateway serves both groups, e.g. Istio); a strategy given here is never replaced')
        .choices(Object.values(MigrationStrategy)))
      .option('--gateway-version <version>', 'version of the gateway implementation, e.g. 1.27.3 for Istio (the capability table is by version)')
      .option('--new-gateway-name <name>', 'parallel-gateway: name of the second Gateway (default: <gateway>-v1)')
      .option('--new-gateway-class <class>', 'parallel-gateway: its GatewayClass (default: the original Gateway\'s)')
      .option('--new-gateway-label <key=value>', 'parallel-gateway: a label of the second Gateway, repeatable; on Istio istio.io/rev=<revision> of a control plane that serves v1 is required', collectLabel)
      .option('--accept-loss <loss>', `accept a loss explicitly (repeatable or comma-separated): ${Object.values(MigrationLoss).join(', ')} (model rewrites the target cannot apply)`, collectChoices(Object.values(MigrationLoss)))
      .option('--strict', 'fail where clients must change to keep what alpha did (models whose priority needs the x-gateway-inference-objective header)')
      .option('--alpha-crd-version <version>', 'GIE release of the alpha CRDs installed today, v0.2.0 to v0.5.1, for their removal (default: v0.3.0)', parseAlphaCrdVersion)
      .option('--ga-name-suffix <suffix>', 'suffix of the GA pool name, replacing a trailing -alpha or -preview', parseNameSuffix, '-ga')
      .addOption(forceOption())
      .addOption(keepUnknownFilesOption())
      .option('--no-validate', 'skip validating the input and the stages against the pinned CRDs')
      .addHelpText('after', [
        '',
        'Examples:',
        '  $ inference-migrate plan --from gitops/apps/llm --out gitops/migrations',
        '  $ inference-migrate plan --from rendered/ --out migrations --provider gke --steps 10,50,90',
        '  $ inference-migrate plan --from gitops/apps --out gitops/migrations --target-gie v1.0.2 --accept-loss model-rewrite',
        '  $ inference-migrate plan --from gitops/apps --out gitops/migrations --gateway istio --new-gateway-label istio.io/rev=1-28-1',
        '',
        'Exit codes: 0 written (or nothing to migrate), 1 bad input, validation problems or refused --out, 64 usage error.',
      ].join('\n'))
      .action((flags: PlanFlags, cmd: Command) => {
        ctx.exitCode = runPlan({ ...flags, verbose: cmd.optsWithGlobals().verbose }, ctx);
      });
  },
};

function runPlan(flags: PlanFlags, ctx: CliContext): number {
  if (flags.strategy !== undefined && flags.strategy !== MigrationStrategy.WEIGHTED_SHIFT && flags.steps !== undefined) {
    throw new UsageError(`--steps cannot be combined with --strategy ${flags.strategy}, which does not move traffic by weight`);
  }
  if (newGatewayFlags(flags) && flags.strategy !== undefined && flags.strategy !== MigrationStrategy.PARALLEL_GATEWAY) {
    throw new UsageError(`--new-gateway-name, --new-gateway-class and --new-gateway-label belong to --strategy parallel-gateway, not ${flags.strategy}`);
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
    gieVersion: flags.targetGie,
    acceptLoss: flags.acceptLoss,
    strict: flags.strict,
    gatewayVersion: flags.gatewayVersion,
    alphaCrdVersion: flags.alphaCrdVersion,
    ...(newGatewayFlags(flags)
      ? { newGateway: { name: flags.newGatewayName, gatewayClassName: flags.newGatewayClass, labels: flags.newGatewayLabel } }
      : {}),
  });
  if (plan.migrations.length === 0) {
    printWarnings(io, plan.warnings);
    io.stdout(`nothing to migrate: no v1alpha2 InferencePool under ${flags.from} (${repo.objects.length} objects in ${repo.files.length} files read); nothing was written\n`);
    return EXIT.OK;
  }

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
  const lines = [
    `target: GIE ${flags.targetGie}${flags.targetGie === NEWEST_BRIDGE_GIE ? ' (the default: the newest release that serves both pools; --target-gie to change)' : ''}`,
    `planned ${built.migrations.length} migration${built.migrations.length === 1 ? '' : 's'} into ${flags.out}${flags.validate ? ' (every stage validated)' : ''}:`,
  ];
  for (const { planned, migration } of built.migrations) {
    const pool = planned.alphaPool;
    lines.push(
      `  ${migration.migrationName}/: alpha pool ${planned.namespace}/${migration.alphaPoolName} (${reader.displayPath(repo.root, pool.file)}:${pool.line}) -> GA pool ${migration.gaPoolName}`,
      `    routes:  ${planned.props.routes!.map((r) => `${r.namespace}/${r.name}`).join(', ')}`,
      `    carried: ${planned.carried.length} alpha object${planned.carried.length === 1 ? '' : 's'} from ${new Set(planned.carried.map((c) => c.file)).size} file(s)`,
      `    strategy: ${migration.strategy}${migration.strategyChoice ? ` (chosen: ${migration.strategyChoice.replace(/^Strategy \S+ was chosen because /, '')})` : ''}`,
      `    stages:  ${migration.stages.map((s) => s.folderName).join(', ')}`,
    );
  }
  lines.push(...keptLines(result));
  lines.push(`next: read ${flags.out.replace(/\/$/, '')}/<migration>/README.md; remove the carried objects from their old place in the same change that syncs 01-side-by-side (listed in its README)`);
  io.stdout(`${lines.join('\n')}\n`);
  return EXIT.OK;
}

/** True when a --new-gateway-* flag was given: they imply the parallel-gateway strategy. */
function newGatewayFlags(flags: PlanFlags): boolean {
  return flags.newGatewayName !== undefined || flags.newGatewayClass !== undefined || flags.newGatewayLabel !== undefined;
}
