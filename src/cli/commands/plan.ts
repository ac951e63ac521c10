import { Command, Option } from 'commander';
import type { CliCommand } from './index';
import { maxFileSizeOption, parseNameSuffix, parseSteps } from './options';
import type * as Plan from '../../discover/inference-migration-plan';
import type * as Planner from '../../discover/inference-planner';
import type * as Source from '../../discover/manifest-source';
import { InferenceProvider } from '../../inference/types';
import { GatewayImplementation } from '../../migration/gateway-implementation';
import { MigrationStrategy } from '../../migration/migration-strategy';
import type * as Output from '../../output';
import { CliContext, displayPath, EXIT, printSkipped, printWarnings, UsageError } from '../context';
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
  readonly maxFileSize?: number;
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
      .addOption(maxFileSizeOption())
      .addHelpText('after', [
        '',
        'Examples:',
        '  $ inference-migrate plan --from gitops/apps/llm --out gitops/migrations',
        '  $ inference-migrate plan --from rendered/ --out migrations --provider gke --steps 10,50,90',
        '',
        'Exit codes: 0 written (or nothing to migrate), 1 bad input, validation problems or refused --out, 64 usage error, 70 internal error.',
      ].join('\n'))
      .action((flags: PlanFlags, cmd: Command) => {
        ctx.exitCode = runPlan({ ...flags, verbose: cmd.optsWithGlobals().verbose }, ctx);
      });
  },
};

function runPlan(flags: PlanFlags, ctx: CliContext): number {
  const planner = load<typeof Planner>('../discover/inference-planner');
  const options = { steps: flags.steps, gateway: flags.gateway, strategy: flags.strategy, gaNameSuffix: flags.gaNameSuffix };
  const conflict = planner.planOptionProblems(options)[0];
  if (conflict) {
    throw new UsageError(`${FLAGS[conflict.option]}${conflict.option === 'gateway' ? ` ${flags.gateway}:` : ''} ${conflict.message}`);
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
  const { ManifestSource } = load<typeof Source>('../discover/manifest-source');
  const { InferenceMigrationPlan } = load<typeof Plan>('../discover/inference-migration-plan');

  const source = ManifestSource.fromDirectory(flags.from, { maxFileSize: flags.maxFileSize });
  printSkipped(io, source.root, source.skipped, flags.verbose);
  const fromInGit = output.gitRelativePath(flags.from);
  const plan = InferenceMigrationPlan.fromSource(source, {
    steps: flags.steps,
    provider: flags.provider,
    gatewayImplementation: flags.gateway,
    strategy: flags.strategy,
    gaNameSuffix: flags.gaNameSuffix,
    validateInputs: flags.validate,
    ...(fromInGit !== undefined
      ? { sourcePathPrefix: fromInGit, sourcePathsRelativeTo: 'the root of the Git repository' }
      : { sourcePathsRelativeTo: `the planned directory ${flags.from}` }),
  });
  if (plan.migrations.length === 0) {
    printWarnings(io, plan.warnings);
    if (plan.orphanReferences.length > 0) {
      const n = plan.orphanReferences.length;
      io.stderr(`error: nothing was written: ${n} reference${n === 1 ? '' : 's'} to alpha InferencePools that ${n === 1 ? 'is' : 'are'} not in the input (warnings above); add the pools' manifests and plan again\n`);
      return EXIT.FAILURE;
    }
    io.stdout(`nothing to migrate: no v1alpha2 InferencePool under ${flags.from} (${source.objectCount} objects in ${source.files.length} files read); nothing was written\n`);
    return EXIT.OK;
  }

  const { App } = load<typeof import('cdk8s')>('cdk8s');
  const { GitOpsWriter } = load<typeof import('../../migration/gitops-writer')>('../migration/gitops-writer');
  const migrations = plan.addMigrations(new App({ outdir: '.' }));
  const writer = new GitOpsWriter({ outdir: flags.out, validate: flags.validate, repoPath: output.repoPathOf(flags.out) });
  const rendered = writer.renderMigrations(migrations);
  const result = writeOut(ctx, out, rendered.files);

  printWarnings(io, [...plan.warnings, ...migrations.flatMap((m) => m.warnings)]);
  const lines = [`planned ${migrations.length} migration${migrations.length === 1 ? '' : 's'} into ${flags.out}${flags.validate ? ' (every stage validated)' : ''}:`];
  plan.migrations.forEach((planned, i) => {
    const migration = migrations[i];
    const where = `${displayPath(source.root, planned.alphaPoolLocation.file)}:${planned.alphaPoolLocation.line}`;
    lines.push(
      `  ${migration.migrationName}/: alpha pool ${planned.namespace}/${planned.alphaPoolName} (${where}) -> GA pool ${planned.gaPoolName}`,
      `    routes:  ${planned.routes.map((r) => `${r.namespace}/${r.name}`).join(', ')}`,
      `    carried: ${planned.carried.length} alpha object${planned.carried.length === 1 ? '' : 's'} from ${new Set(planned.carried.map((c) => c.file)).size} file(s)`,
      `    stages:  ${migration.stages.map((s) => s.folderName).join(', ')}`,
    );
  });
  lines.push(...keptLines(result));
  lines.push(`next: read ${flags.out.replace(/\/$/, '')}/<migration>/README.md; remove the carried objects from their old place in the same change that syncs 01-side-by-side (listed in its README)`);
  io.stdout(`${lines.join('\n')}\n`);
  return EXIT.OK;
}

/** The flag of each plan option. */
const FLAGS: { readonly [option: string]: string } = { steps: '--steps', gateway: '--gateway', gaNameSuffix: '--ga-name-suffix' };
