import { Command, Option } from 'commander';
import type { CliCommand } from './index';
import { maxDocumentsOption, maxFileSizeOption, namespaceOption, parseGieTarget, parsePath } from './options';
import { NEWEST_KNOWN_GIE, parseGieVersion } from '../../convert/gie-versions';
import type * as Scan from '../../discover/alpha-scan';
import type * as Reader from '../../discover/repo-reader';
import { CliContext, printSkipped } from '../context';
import { load } from '../lazy';

interface ScanFlags {
  readonly targetGie: string;
  readonly output: 'text' | 'json' | 'markdown';
  readonly maxFileSize?: number;
  readonly maxDocuments?: number;
  readonly namespace?: string;
}

/** `scan`: lists the alpha objects under a directory. */
export const scanCommand: CliCommand = {
  path: ['scan'],
  register(parent: Command, ctx: CliContext): Command {
    return parent.command('scan')
      .summary('list the alpha objects and references under a directory, a file or stdin, and whether a GIE release still serves them')
      .description('Lists every alpha object in INPUT (a directory, a file, or - for standard input) with its file and line: InferencePool and InferenceModel ' +
        '(inference.networking.x-k8s.io/v1alpha2), every route or policy that refers to an alpha pool (whether or not the pool is in INPUT), ' +
        'LlamaStackDistribution llamastack.io/v1alpha1, and a KServe inferenceservice-config whose ingress is not on Gateway API yet; says what each ' +
        'becomes, whether the target GIE release still serves its API, and the command that migrates it. Helm chart templates that use the alpha API ' +
        'are listed too (render the chart to plan them). Stage folders written by plan are read too: their alpha objects are applied until the cleanup stage.')
      .argument('<input>', 'directory or file of manifests to read, or - for standard input', parsePath)
      .addOption(new Option('--target-gie <version>', 'GIE release to check against').argParser(parseGieTarget)
        .default(NEWEST_KNOWN_GIE, `${NEWEST_KNOWN_GIE}, the newest release this version knows`))
      .addOption(new Option('--output <format>', 'report format').choices(['text', 'json', 'markdown']).default('text'))
      .addOption(maxFileSizeOption())
      .addOption(maxDocumentsOption())
      .addOption(namespaceOption())
      .addHelpText('after', [
        '',
        'Examples:',
        '  $ inference-migrate scan gitops/',
        '  $ kustomize build overlays/prod | inference-migrate scan - --output json',
        '  $ inference-migrate scan gitops/ --target-gie v1.4.0 --output markdown',
        '',
        'Exit codes: 0 nothing found, 2 alpha objects found that the target still serves,',
        '3 found objects whose API the target no longer serves, 1 bad input, 64 usage error, 70 internal error.',
      ].join('\n'))
      .action((dir: string, flags: ScanFlags, cmd: Command) => {
        const reader = load<typeof Reader>('../discover/repo-reader');
        const scan = load<typeof Scan>('../discover/alpha-scan');
        const repo = reader.readInput(dir, {
          skipOutputs: false, maxFileBytes: flags.maxFileSize, maxDocuments: flags.maxDocuments, namespace: flags.namespace,
        });
        printSkipped(ctx.io, repo.root, repo.skipped, cmd.optsWithGlobals().verbose);
        const report = scan.scanObjects(repo.objects, parseGieVersion(flags.targetGie)!, { path: dir, skipped: repo.skipped });
        ctx.io.stdout(scan.formatScan(report, flags.output, repo.root));
        ctx.exitCode = scan.scanExitCode(report);
      });
  },
};
