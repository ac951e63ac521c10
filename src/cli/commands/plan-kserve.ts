import { Command, Option } from 'commander';
import type { CliCommand } from './index';
import { maxDocumentsOption, maxFileSizeOption, parseLabelName, parseObjectName, parsePath } from './options';
import type * as KServePlan from '../../discover/kserve-migration-plan';
import type * as Source from '../../discover/manifest-source';
import type { KServeGatewayApiMigration, KServeGatewayApiMigrationProps } from '../../kserve/kserve-gateway-api-migration';
import type * as Output from '../../output';
import { CliContext, EXIT, printSkipped, printWarnings, UsageError } from '../context';
import { load } from '../lazy';
import { OutFlags, forceOption, keptLines, keepUnknownFilesOption, openOut, writeOut } from '../output';

interface PlanKServeFlags extends OutFlags {
  readonly from?: string;
  readonly helm?: boolean;
  readonly helmCreatesGateway?: boolean;
  readonly namespace?: string;
  readonly gatewayName?: string;
  readonly gatewayNamespace?: string;
  readonly gatewayClass?: string;
  readonly tlsSecret?: string;
  readonly testInferenceService?: boolean;
  readonly validate: boolean;
  readonly maxFileSize?: number;
  readonly maxDocuments?: number;
  readonly verbose?: boolean;
}

/** `plan-kserve`: KServe from Kubernetes Ingress to the Gateway API, as stage folders. */
export const planKServeCommand: CliCommand = {
  path: ['plan-kserve'],
  register(parent: Command, ctx: CliContext): Command {
    return parent.command('plan-kserve')
      .summary('write the stages that move KServe from Kubernetes Ingress to the Gateway API')
      .description('Finds KServe\'s inferenceservice-config ConfigMap (and the kserve-controller-manager Deployment, when present) ' +
        'under --from, or takes --helm when Helm owns KServe, and writes the stages 01-gateway, 02-enable-gateway-api and 03-verify ' +
        'into --out, validated against the Gateway API v1.2.1 and KServe v0.15.1 CRDs before anything is written.')
      .option('-f, --from <path>', 'directory or file of the manifests that install KServe, or - for standard input (not with --helm)', parsePath)
      .requiredOption('-o, --out <dir>', 'directory to write (new or empty; see --force)', parsePath)
      .option('--helm', 'Helm owns KServe: the stages give the helm upgrade instead of writing the ConfigMap')
      .option('--helm-creates-gateway', 'with --helm: let the chart create the Gateway (createGateway=true) instead of writing it')
      .addOption(new Option('-n, --namespace <namespace>', 'KServe\'s namespace (default: the ConfigMap\'s, else kserve)').argParser(parseLabelName))
      .addOption(new Option('--gateway-name <name>', 'name of the Gateway (default: kserve-ingress-gateway)').argParser(parseLabelName))
      .addOption(new Option('--gateway-namespace <namespace>', 'namespace of the Gateway (default: KServe\'s namespace)').argParser(parseLabelName))
      .addOption(new Option('--gateway-class <name>', 'GatewayClass of the Gateway (default: envoy)').argParser(parseObjectName))
      .addOption(new Option('--tls-secret <name>', 'Secret of an HTTPS listener on 443 that terminates TLS (default: HTTP only)').argParser(parseObjectName))
      .option('--test-inference-service', 'add the guide\'s sklearn-v2-iris InferenceService to 03-verify')
      .addOption(forceOption())
      .addOption(keepUnknownFilesOption())
      .option('--no-validate', 'skip validating the input and the stages against the pinned CRDs')
      .addOption(maxFileSizeOption())
      .addOption(maxDocumentsOption())
      .addHelpText('after', [
        '',
        'Examples:',
        '  $ inference-migrate plan-kserve --from gitops/kserve --out gitops/migrations',
        '  $ inference-migrate plan-kserve --helm --out gitops/migrations --tls-secret my-secret',
        '',
        'Exit codes: 0 written, 1 bad input (no inferenceservice-config, malformed ingress JSON), validation problems or refused --out,',
        '64 usage error (also a bad flag value), 70 internal error.',
      ].join('\n'))
      .action((flags: PlanKServeFlags, cmd: Command) => {
        ctx.exitCode = runPlanKServe({ ...flags, verbose: cmd.optsWithGlobals().verbose }, ctx);
      });
  },
};

function runPlanKServe(flags: PlanKServeFlags, ctx: CliContext): number {
  if (Boolean(flags.helm) === (flags.from !== undefined)) {
    throw new UsageError('give either --from <dir> (KServe installed from manifests) or --helm (Helm owns KServe)');
  }
  if (flags.helmCreatesGateway && !flags.helm) {
    throw new UsageError('--helm-creates-gateway needs --helm');
  }
  // --out may be inside --from: reading skips every folder an output marker marks, so the next plan never reads it.
  const out = openOut(ctx, 'plan-kserve', flags);
  try {
    return planKServeInto(out, flags, ctx);
  } finally {
    out.close();
  }
}

function planKServeInto(out: Output.OutputDirectory, flags: PlanKServeFlags, ctx: CliContext): number {
  const output = load<typeof Output>('../output');
  const { App } = load<typeof import('cdk8s')>('cdk8s');
  const app = new App({ outdir: '.' });
  const props: KServeGatewayApiMigrationProps = {
    kserveNamespace: flags.namespace,
    helm: flags.helm,
    helmCreatesGateway: flags.helmCreatesGateway,
    gatewayName: flags.gatewayName,
    gatewayNamespace: flags.gatewayNamespace,
    gatewayClassName: flags.gatewayClass,
    tlsSecretName: flags.tlsSecret,
    testInferenceService: flags.testInferenceService,
  };
  let migration: KServeGatewayApiMigration;
  let carried = 'Helm owns KServe';
  const inputWarnings: string[] = [];
  if (flags.from !== undefined) {
    const { ManifestSource } = load<typeof Source>('../discover/manifest-source');
    const { KServeMigrationPlan } = load<typeof KServePlan>('../discover/kserve-migration-plan');
    const source = flags.from === '-' ? ManifestSource.fromStandardInput({ maxFileSize: flags.maxFileSize, maxDocuments: flags.maxDocuments })
      : ManifestSource.fromPath(flags.from, { maxFileSize: flags.maxFileSize, maxDocuments: flags.maxDocuments });
    printSkipped(ctx.io, source.root, source.skipped, flags.verbose);
    const plan = KServeMigrationPlan.fromSource(source, { kserveNamespace: flags.namespace, validateInputs: flags.validate });
    migration = plan.addMigration(app, 'kserve-gateway-api', props);
    inputWarnings.push(...plan.warnings);
    carried = `ConfigMap ${plan.kserveNamespace}/inferenceservice-config${plan.controllerDeploymentLocation ? ' and controller Deployment' : ''} carried`;
  } else {
    const { KServeGatewayApiMigration: Migration } = load<typeof import('../../kserve/kserve-gateway-api-migration')>('../kserve/kserve-gateway-api-migration');
    migration = new Migration(app, 'kserve-gateway-api', props);
  }
  const { GitOpsWriter } = load<typeof import('../../migration/gitops-writer')>('../migration/gitops-writer');
  const writer = new GitOpsWriter({ outdir: flags.out, validate: flags.validate, repoPath: output.repoPathOf(flags.out) });
  const rendered = writer.renderMigrations([migration]);
  const result = writeOut(ctx, out, rendered.files, `--out ${flags.out}`);
  const stages = rendered.migrations[0].stages.map((s) => s.folder);
  printWarnings(ctx.io, [...inputWarnings, ...migration.warnings]);
  ctx.io.stdout([
    `planned the KServe migration to the Gateway API into ${flags.out}${flags.validate ? ' (every stage validated)' : ''}:`,
    `  ${migration.migrationName}/: gateway ${migration.gatewayReference}, ${carried}`,
    `    stages: ${stages.join(', ')}`,
    ...keptLines(result),
    `next: read ${flags.out.replace(/\/$/, '')}/${migration.migrationName}/README.md`,
  ].join('\n') + '\n');
  return EXIT.OK;
}
