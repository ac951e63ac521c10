import * as path from 'path';
import { Command, Option } from 'commander';
import type { CliCommand } from './index';
import { collectChoices, collectLabel, maxDocumentsOption, maxFileSizeOption, namespaceOption, parseAlphaCrdVersion, parseImage, parseLabelName, parseNameSuffix, parsePath, parseSteps, parseTargetGie } from './options';
import { NEWEST_BRIDGE_GIE } from '../../convert/gie-versions';
import { isUserError, UserError } from '../../core/errors';
import { isHelmfileName } from '../../discover/helmfile-name';
import type * as Plan from '../../discover/inference-migration-plan';
import type * as Planner from '../../discover/inference-planner';
import type * as InputFiles from '../../discover/input-files';
import type * as Source from '../../discover/manifest-source';
import { InferenceProvider } from '../../inference/types';
import { GatewayImplementation } from '../../migration/gateway-implementation';
import { MigrationLoss } from '../../migration/migration-loss';
import { MigrationStrategy } from '../../migration/migration-strategy';
import type * as Output from '../../output';
import { CliContext, displayPath, EXIT, printSkipped, printWarnings, progress, UsageError } from '../context';
import { load } from '../lazy';
import { OutFlags, forceOption, keptLines, keepUnknownFilesOption, openOut, writeOut } from '../output';

/** The largest --epp-config file read. */
const EPP_CONFIG_MAX_BYTES = 1024 * 1024;

interface PlanFlags extends Omit<OutFlags, 'out'> {
  readonly from: string;
  readonly out?: string;
  readonly dryRun?: boolean;
  readonly stage?: string;
  readonly steps?: number[];
  readonly provider?: InferenceProvider;
  readonly gateway?: GatewayImplementation;
  readonly strategy?: MigrationStrategy;
  readonly gaNameSuffix: string;
  readonly validate: boolean;
  readonly maxFileSize?: number;
  readonly maxDocuments?: number;
  readonly namespace?: string;
  readonly eppImage?: string;
  readonly eppConfig?: string;
  readonly verbose?: boolean;
  readonly quiet?: boolean;
  readonly targetGie: string;
  readonly acceptLoss?: MigrationLoss[];
  readonly strict?: boolean;
  readonly eppReadsModelRewrites?: boolean;
  readonly eppGieVersion?: string;
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
        'kustomizations, Helm values and templates are skipped), or one stream from standard input with --from -, and writes one zero-downtime ' +
        'migration per v1alpha2 InferencePool into --out: stage folders with kustomizations and READMEs, validated against the pinned CRDs ' +
        'before anything is written.')
      .requiredOption('-f, --from <path>', 'directory or file of manifests to read, or - for standard input', parsePath)
      .option('-o, --out <dir>', 'directory to write (new or empty; see --force); required unless --dry-run', parsePath)
      .option('--steps <weights>', 'GA weights of the traffic-shift stages, increasing integers in 1..99 (default: 50)', parseSteps)
      .addOption(new Option('--provider <name>', 'platform of the GA pool (default: gke when the alpha pool has GKE policies, else none)')
        .choices(Object.values(InferenceProvider)))
      .addOption(new Option('--gateway <implementation>', 'Gateway API implementation that serves the routes (default: gke with --provider gke, istio with --provider istio, else generic)')
        .choices(Object.values(GatewayImplementation)))
      .addOption(new Option('--target-gie <version>', 'GIE release to migrate to: a bridge release whose CRDs serve both pools, v1.0.0, v1.0.2, v1.1.0, v1.2.0, v1.3.1 or v1.4.0')
        .argParser(parseTargetGie).default(NEWEST_BRIDGE_GIE, `${NEWEST_BRIDGE_GIE}, the newest`))
      .addOption(new Option('--strategy <strategy>', 'how traffic moves (default: the one that works on --gateway: weighted-shift; header-preview-cutover where a rule cannot split between two pools; parallel-gateway where no gateway serves both groups, e.g. Istio); a strategy given here is never replaced')
        .choices(Object.values(MigrationStrategy)))
      .option('--epp-image <image>', 'image (repo:tag) of the GA Endpoint Picker, required when an alpha EPP is not upstream\'s (e.g. llm-d\'s inference scheduler): ' +
        'its flags, env, resources and plugin config are kept', parseImage)
      .option('--epp-gie-version <version>', 'the GIE release the --epp-image is built on (e.g. v1.0.0 for llm-d-inference-scheduler v0.3.0): every GA EPP flag is checked against that release\'s, ' +
        'and the target release\'s chart flags (--tracing=false) are added only where it has them (default: unknown, none added)')
      .option('--epp-config <file>', 'plugins config (EndpointPickerConfig yaml) of the GA Endpoint Picker instead of the target chart\'s default plugins; ' +
        'with upstream\'s EPP every plugin type must exist at --target-gie', parsePath)
      .option('--epp-reads-model-rewrites', 'the --epp-image applies InferenceModelRewrites (upstream\'s EPP does from v1.3.0; a custom image must say so, or model rewrites need --accept-loss model-rewrite)')
      .option('--gateway-version <version>', 'version of the gateway implementation, e.g. 1.27.3 for Istio, 2.0.4 for kgateway; for Envoy Gateway the Envoy AI Gateway release (with --gateway envoy-ai-gateway), which decides the InferencePool group (docs/gateways.md)')
      .option('--new-gateway-name <name>', 'parallel-gateway: name of the second Gateway (default: <gateway>-v1)', parseLabelName)
      .option('--new-gateway-class <class>', 'parallel-gateway: its GatewayClass (default: the original Gateway\'s)')
      .option('--new-gateway-label <key=value>', 'parallel-gateway: a label of the second Gateway, repeatable; on Istio istio.io/rev=<revision> of a control plane that serves v1 is required', collectLabel)
      .option('--accept-loss <loss>', `accept a loss explicitly (repeatable or comma-separated): ${Object.values(MigrationLoss).join(', ')} (model rewrites the target cannot apply)`, collectChoices(Object.values(MigrationLoss)))
      .option('--strict', 'fail where clients must change to keep what alpha did (models whose priority needs the x-gateway-inference-objective header)')
      .option('--alpha-crd-version <version>', 'GIE release of the alpha CRDs installed today, v0.2.0 to v0.5.1, for their removal (default: the release of the alpha EPP\'s upstream image, else v0.3.0)', parseAlphaCrdVersion)
      .option('--ga-name-suffix <suffix>', 'suffix of the GA pool name, replacing a trailing -alpha or -preview', parseNameSuffix, '-ga')
      .addOption(forceOption())
      .addOption(keepUnknownFilesOption())
      .option('--no-validate', 'skip validating the input and the stages against the pinned CRDs')
      .addOption(maxFileSizeOption())
      .addOption(maxDocumentsOption())
      .addOption(namespaceOption())
      .option('--dry-run', 'print the stages as one YAML stream on stdout (each object file after a "# Source:" line), as helm template does, and write nothing')
      .option('--stage <stage>', 'with --dry-run: print only this stage of each migration, by folder (02-shift-50) or name (shift-50)')
      .addHelpText('after', [
        '',
        'Examples:',
        '  $ inference-migrate plan --from gitops --out gitops/migrations      # --out may be inside --from: plan skips its own outputs',
        '  $ inference-migrate plan -f gitops/apps --dry-run --stage shift-50 | kubectl diff -f -',
        '  $ inference-migrate plan --from rendered/ --out migrations --provider gke --steps 10,50,90',
        '  $ kustomize build overlays/prod | inference-migrate plan --from - --out gitops/migrations',
        '  $ helm template llm ./chart -n llm | inference-migrate plan --from - --namespace llm --out gitops/migrations',
        '  $ inference-migrate plan --from gitops/apps --out gitops/migrations --target-gie v1.0.2 --accept-loss model-rewrite',
        '  $ inference-migrate plan --from gitops/apps --out gitops/migrations --gateway istio --new-gateway-label istio.io/rev=1-28-1',
        '',
        'Exit codes: 0 written (or nothing to migrate), 1 bad input, validation problems or refused --out, 64 usage error, 70 internal error.',
      ].join('\n'))
      .action((flags: PlanFlags, cmd: Command) => {
        ctx.exitCode = runPlan({ ...flags, verbose: cmd.optsWithGlobals().verbose, quiet: cmd.optsWithGlobals().quiet }, ctx);
      });
  },
};

function runPlan(flags: PlanFlags, ctx: CliContext): number {
  const planner = load<typeof Planner>('../discover/inference-planner');
  const conflict = planner.planOptionProblems({
    steps: flags.steps,
    gateway: flags.gateway,
    gatewayVersion: flags.gatewayVersion,
    strategy: flags.strategy,
    gaNameSuffix: flags.gaNameSuffix,
    newGateway: newGatewayOf(flags),
    eppImage: flags.eppImage,
    eppGieVersion: flags.eppGieVersion,
  })[0];
  if (conflict) {
    throw new UsageError(`${FLAGS[conflict.option]}${conflict.option === 'gateway' ? ` ${flags.gateway}:` : ''} ${conflict.message}`);
  }
  if (flags.stage !== undefined && !flags.dryRun) throw new UsageError('--stage picks the stage --dry-run prints: add --dry-run');
  if (flags.dryRun) {
    if (flags.force || flags.keepUnknownFiles) throw new UsageError('--dry-run writes nothing: --force and --keep-unknown-files have no meaning with it');
    return planInto(undefined, { ...flags, out: flags.out ?? 'migrations' }, ctx);
  }
  if (flags.out === undefined) throw new UsageError('required option \'-o, --out <dir>\' not specified (or --dry-run, to print the stages instead of writing them)');
  // --out may be inside --from (`plan --from gitops --out gitops/migrations`): every plan skips the folders its
  // outputs' markers mark, so it never reads its own output.
  const out = openOut(ctx, 'plan', { ...flags, out: flags.out });
  try {
    return planInto(out, { ...flags, out: flags.out }, ctx);
  } finally {
    out.close();
  }
}

/** Plans and writes into `out`, or, without `out` (--dry-run), prints the stages as a YAML stream. */
function planInto(out: Output.OutputDirectory | undefined, flags: PlanFlags & { readonly out: string }, ctx: CliContext): number {
  const { io } = ctx;
  const output = load<typeof Output>('../output');
  const { ManifestSource } = load<typeof Source>('../discover/manifest-source');
  const { InferenceMigrationPlan } = load<typeof Plan>('../discover/inference-migration-plan');

  const stdin = flags.from === '-';
  const readOptions = { maxFileSize: flags.maxFileSize, maxDocuments: flags.maxDocuments, namespace: flags.namespace };
  const source = stdin ? ManifestSource.fromStandardInput(readOptions) : ManifestSource.fromPath(flags.from, readOptions);
  printSkipped(io, source.root, source.skipped, flags.verbose);
  progress(io, flags.quiet, `read ${source.objectCount} objects in ${source.files.length} file${source.files.length === 1 ? '' : 's'}; planning...`);
  const fromInGit = stdin ? undefined : output.gitRelativePath(flags.from);
  const plan = fromSourcePlatformFirst(io, () => InferenceMigrationPlan.fromSource(source, {
    steps: flags.steps,
    provider: flags.provider,
    gatewayImplementation: flags.gateway,
    strategy: flags.strategy,
    gaNameSuffix: flags.gaNameSuffix,
    eppImage: flags.eppImage,
    ...(flags.eppConfig !== undefined ? { eppConfig: readEppConfig(flags.eppConfig) } : {}),
    gatewayVersion: flags.gatewayVersion,
    newGateway: newGatewayOf(flags),
    gieVersion: flags.targetGie,
    acceptLoss: flags.acceptLoss,
    strict: flags.strict,
    eppReadsModelRewrites: flags.eppReadsModelRewrites,
    ...(flags.eppGieVersion !== undefined ? { eppGieVersion: flags.eppGieVersion } : {}),
    alphaCrdVersion: flags.alphaCrdVersion,
    validateInputs: flags.validate,
    ...(stdin ? { sourceIsStream: true } : fromInGit !== undefined
      ? { sourcePathPrefix: fromInGit, sourcePathsRelativeTo: 'the root of the Git repository' }
      : { sourcePathsRelativeTo: `the planned directory ${flags.from}` }),
  }));
  // Helm chart templates that use the alpha API, and helmfiles that install an alpha release of GIE's chart:
  // not planned until rendered.
  const alphaSkips = source.skipped.filter((s) => (s.alphaApiLines ?? []).length > 0);
  const helmfiles = alphaSkips.filter((s) => isHelmfileName(s.file.split(/[\\/]/).pop() ?? ''));
  const templates = alphaSkips.filter((s) => !helmfiles.includes(s));
  const at = (list: typeof alphaSkips) => list.map((t) => `${displayPath(source.root, t.file)}:${t.line}`).join(', ');
  const templateWarning = [
    ...(templates.length === 0 ? [] : [`${templates.length} Helm chart template${templates.length === 1 ? '' : 's'} ` +
      `(${at(templates)}) use${templates.length === 1 ? 's' : ''} the alpha API and ${templates.length === 1 ? 'is' : 'are'} not planned: ` +
      'render the chart and plan the output: helm template <release> <chart> -n <namespace> | inference-migrate plan --from - --namespace <namespace> --out <dir>']),
    ...(helmfiles.length === 0 ? [] : [`${helmfiles.length} helmfile${helmfiles.length === 1 ? '' : 's'} (${at(helmfiles)}) install${helmfiles.length === 1 ? 's' : ''} ` +
      'an alpha release (v0.x) of Gateway API Inference Extension\'s inferencepool chart, whose InferencePool is in no manifest here: ' +
      'render the release and plan the output: helmfile template -l name=<release> | inference-migrate plan --from - --namespace <namespace> --out <dir> ' +
      '(or, from the cluster: helm get manifest <release> -n <namespace> | inference-migrate plan --from - ...)']),
  ];
  if (plan.migrations.length === 0) {
    printWarnings(io, [...plan.warnings, ...templateWarning]);
    if (plan.orphanReferences.length > 0 || alphaSkips.length > 0) {
      const n = plan.orphanReferences.length;
      const why = [
        ...(n > 0 ? [`${n} reference${n === 1 ? '' : 's'} to alpha InferencePools that ${n === 1 ? 'is' : 'are'} not in the input: add the pools' manifests`] : []),
        ...(templates.length > 0 ? ['the alpha API is in Helm chart templates: render the chart'] : []),
        ...(helmfiles.length > 0 ? ['a helmfile installs an alpha release of the inferencepool chart: render the release'] : []),
      ];
      io.stderr(`error: nothing was written: ${why.join('; ')} (warnings above), then plan again\n`);
      return EXIT.FAILURE;
    }
    io.stdout(`nothing to migrate: no v1alpha2 InferencePool ${stdin ? 'in standard input' : `under ${flags.from}`} (${source.objectCount} objects in ${source.files.length} files read); nothing was written\n`);
    return EXIT.OK;
  }

  const { App } = load<typeof import('cdk8s')>('cdk8s');
  const { GitOpsWriter } = load<typeof import('../../migration/gitops-writer')>('../migration/gitops-writer');
  progress(io, flags.quiet, `planned ${plan.migrations.length} migration${plan.migrations.length === 1 ? '' : 's'}; rendering${flags.validate ? ' and validating' : ''} their stages...`);
  // The platform first: what each migration is planned for, and why (also above an error, which it explains).
  const { platformLines } = load<typeof import('../../discover/platform-choice')>('../discover/platform-choice');
  const platform = plan.migrations.flatMap((m) => platformLines(m.name, m.platformNotes));
  let migrations: ReturnType<typeof plan.addMigrations>;
  let rendered: ReturnType<InstanceType<typeof GitOpsWriter>['renderMigrations']>;
  try {
    migrations = plan.addMigrations(new App({ outdir: '.' }));
    const writer = new GitOpsWriter({ outdir: flags.out, validate: flags.validate, repoPath: output.repoPathOf(flags.out) });
    rendered = writer.renderMigrations(migrations);
  } catch (err) {
    if (!isUserError(err)) throw err;
    io.stderr(platform.map((l) => `${l}\n`).join(''));
    err.message = withFlagHint(err.message);
    throw err;
  }
  let result: Output.OutputResult | undefined;
  if (out !== undefined) {
    progress(io, flags.quiet, `writing ${rendered.files.length} files into ${flags.out}...`);
    result = writeOut(ctx, out, rendered.files, `--out ${flags.out}`);
  } else {
    io.stdout(yamlStream(rendered.files, migrations, flags.stage));
  }

  const notices = rendered.migrations.flatMap((m) => m.notices);
  // Each migration's warnings (its stages' included); with several migrations, each names its migration.
  const migrationWarnings = migrations.flatMap((m) => m.warnings.map((w) => (migrations.length > 1 ? `${m.migrationName}: ${w}` : w)));
  printWarnings(io, [...plan.warnings, ...templateWarning, ...migrationWarnings, ...notices]);
  const summary = summaryLines(plan, migrations, source.root, flags, result);
  // With --dry-run stdout is the YAML stream: the summary goes to stderr.
  const text = `${[...platform, ...summary].join('\n')}\n`;
  if (out !== undefined) io.stdout(text);
  else io.stderr(text);
  return EXIT.OK;
}

/** What plan prints after the platform: the target, each migration, the files kept, and what to do next. */
function summaryLines(
  plan: Plan.InferenceMigrationPlan, migrations: ReturnType<Plan.InferenceMigrationPlan['addMigrations']>, root: string,
  flags: PlanFlags & { readonly out: string }, result: Output.OutputResult | undefined,
): string[] {
  const outDir = flags.out.replace(/\/$/, '');
  const lines = [
    `target: GIE ${flags.targetGie}${flags.targetGie === NEWEST_BRIDGE_GIE ? ' (the default: the newest release that serves both pools; --target-gie to change)' : ''}`,
    result === undefined
      ? `planned ${migrations.length} migration${migrations.length === 1 ? '' : 's'}${flags.validate ? ' (every stage validated)' : ''}; dry run: the stages are on stdout, nothing was written:`
      : `planned ${migrations.length} migration${migrations.length === 1 ? '' : 's'} into ${flags.out}${flags.validate ? ' (every stage validated)' : ''}:`,
  ];
  plan.migrations.forEach((planned, i) => {
    const migration = migrations[i];
    const where = `${displayPath(root, planned.alphaPoolLocation.file)}:${planned.alphaPoolLocation.line}`;
    lines.push(
      `  ${migration.migrationName}/: alpha pool ${planned.namespace}/${planned.alphaPoolName} (${where}) -> GA pool ${planned.gaPoolName}`,
      `    routes:  ${[...planned.routes.map((r) => `${r.namespace}/${r.name}`), ...planned.otherRoutes.map((r) => `${r.namespace}/${r.name} (${r.kind})`)].join(', ')}`,
      `    carried: ${planned.carried.length} alpha object${planned.carried.length === 1 ? '' : 's'} from ${new Set(planned.carried.map((c) => c.file)).size} file(s)`,
      `    strategy: ${migration.strategy}${migration.strategyChoice ? ` (chosen: ${migration.strategyChoice.replace(/^Strategy \S+ was chosen because /, '')})` : ''}`,
      `    stages:  ${migration.stages.map((s) => s.folderName).join(', ')}`,
    );
  });
  if (result === undefined) return lines;
  lines.push(...keptLines(result));
  // The real folder when there is one migration, as `next:` lines should name what to open.
  const readme = migrations.length === 1 ? `${outDir}/${migrations[0].migrationName}/README.md` : `${outDir}/<migration>/README.md`;
  lines.push(`next: read ${readme}; hand the carried objects over as its first stage says ` +
    '(mark them against pruning in their old place first, then sync 01-side-by-side, then remove them from the old place)');
  return lines;
}

/**
 * The object files of every stage (or of the stage `stage` names, by folder or name) as one YAML stream, each
 * document after a `# Source: <migration>/<stage>/<file>` line, as `helm template` prints them.
 */
function yamlStream(
  files: ReadonlyArray<{ path: string; content: string | Uint8Array }>,
  migrations: ReadonlyArray<{ migrationName: string; stages: ReadonlyArray<{ folderName: string; stageName: string }> }>,
  stage: string | undefined,
): string {
  const folders = migrations.flatMap((m) => m.stages
    .filter((s) => stage === undefined || s.folderName === stage || s.stageName === stage)
    .map((s) => `${m.migrationName}/${s.folderName}/`));
  if (folders.length === 0) {
    const known = [...new Set(migrations.flatMap((m) => m.stages.map((s) => s.stageName)))];
    throw new UsageError(`--stage ${stage} names no stage of the planned migrations (stages: ${known.join(', ')})`);
  }
  return folders.flatMap((folder) => files
    .filter((f) => f.path.startsWith(folder) && !f.path.slice(folder.length).includes('/') && /\.ya?ml$/.test(f.path) && !f.path.endsWith('/kustomization.yaml'))
    .map((f) => `---\n# Source: ${f.path}\n${withoutLeadingSeparator(String(f.content))}`)).join('');
}

/** A file's text without a `---` that comes before its object (a carried document may start with comments and one). */
function withoutLeadingSeparator(text: string): string {
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l.trim() !== '' && l.trim() !== '---' && !l.trimStart().startsWith('#'));
  return lines.filter((l, i) => !(i < first && l.trim() === '---')).join('\n');
}

/** The second Gateway's flags, when one was given: they choose the parallel-gateway strategy. */
function newGatewayOf(flags: PlanFlags): Plan.NewGatewayOptions | undefined {
  if (flags.newGatewayName === undefined && flags.newGatewayClass === undefined && flags.newGatewayLabel === undefined) return undefined;
  return { name: flags.newGatewayName, gatewayClassName: flags.newGatewayClass, labels: flags.newGatewayLabel };
}

/** The flags that set the library props a planning error can name, so the message says what to type. */
const PROP_FLAGS: ReadonlyArray<readonly [prop: string, flag: string]> = [
  ['parallelGateway.labels', '--new-gateway-label'],
  ['parallelGateway.name', '--new-gateway-name'],
  ['parallelGateway.gatewayClassName', '--new-gateway-class'],
  ['parallelGateway', '--strategy parallel-gateway with --new-gateway-name'],
  ['acceptLoss', '--accept-loss'],
  ['strategy', '--strategy'],
  ['steps', '--steps'],
  ['gieVersion', '--target-gie'],
  ['eppImage', '--epp-image'],
  ['imageGieVersion', '--epp-gie-version'],
  ['eppGieVersion', '--epp-gie-version'],
  ['pluginsConfig', '--epp-config'],
  ['endpointPickerReadsModelRewrites', '--epp-reads-model-rewrites'],
];

/** `message`, with the command-line flag of the first library prop it names in quotes. */
export function withFlagHint(message: string): string {
  // The Istio revision label (parallel-gateway.ts, ISTIO_REVISION_LABEL) is the one value that fixes this refusal: say it whole.
  if (message.includes('\'parallelGateway.labels\' must set istio.io/rev')) {
    return `${message} (on the command line: --new-gateway-label istio.io/rev=<revision>)`;
  }
  const hit = PROP_FLAGS.find(([prop]) => message.includes(`'${prop}'`));
  return hit === undefined ? message : `${message} (on the command line: ${hit[1]})`;
}

/** The flag of each plan option. */
/** Plans, printing the platform of each migration above a validation error of its input, which it often explains. */
function fromSourcePlatformFirst<T>(io: CliContext['io'], planning: () => T): T {
  try {
    return planning();
  } catch (err) {
    const { InvalidInputError } = load<typeof import('../../discover/source-validation')>('../discover/source-validation');
    if (err instanceof InvalidInputError) io.stderr(err.platformLines.map((l) => `${l}\n`).join(''));
    throw err;
  }
}

const FLAGS: { readonly [option: string]: string } = {
  steps: '--steps',
  gateway: '--gateway',
  gatewayVersion: '--gateway-version',
  gaNameSuffix: '--ga-name-suffix',
  newGateway: '--new-gateway-name, --new-gateway-class or --new-gateway-label',
  eppGieVersion: '--epp-gie-version',
};

/** The text of the --epp-config file: a regular UTF-8 file of at most 1 MiB, or a user error naming it. */
function readEppConfig(file: string): string {
  const { readInputFile } = load<typeof InputFiles>('../discover/input-files');
  const read = readInputFile(path.resolve(file), file, EPP_CONFIG_MAX_BYTES, true);
  if ('problem' in read) throw new UserError(`--epp-config ${read.problem.file}: ${read.problem.message}`);
  return read.text;
}
