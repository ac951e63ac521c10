import { Command, Option } from 'commander';
import type { CliCommand } from './index';
import { maxDocumentsOption, maxFileSizeOption, parsePath, parseTargetGie } from './options';
import { NEWEST_BRIDGE_GIE } from '../../convert/gie-versions';
import type * as Reader from '../../discover/repo-reader';
import type * as SourceValidation from '../../discover/source-validation';
import { CliContext, EXIT, printSkipped, printWarnings } from '../context';
import { load } from '../lazy';

interface ValidateFlags {
  readonly targetGie: string;
  readonly maxFileSize?: number;
  readonly maxDocuments?: number;
  readonly output: 'text' | 'json';
  readonly ignoreMissingSchemas?: boolean;
  readonly crds: string[];
}

/** `validate`: checks the manifests under a directory against the pinned CRDs and core schemas. */
export const validateCommand: CliCommand = {
  path: ['validate'],
  register(parent: Command, ctx: CliContext): Command {
    return parent.command('validate')
      .summary('check the manifests under a directory against the pinned CRDs and core schemas')
      .description('Validates every Kubernetes object in INPUT (a directory, a file, or - for standard input) the way an API server would: custom resources ' +
        'against the pinned CRDs and the CRDs given with --crds (OpenAPI schema and CEL rules), built-in, GKE and Istio kinds with their published schemas. ' +
        'Prints each problem with file, line, object and field.')
      .argument('<input>', 'directory or file of manifests to read, or - for standard input', parsePath)
      .addOption(new Option('--target-gie <version>', 'the GIE release whose CRDs the inference objects are checked against (a bridge release, as plan\'s --target-gie)')
        .argParser(parseTargetGie).default(NEWEST_BRIDGE_GIE))
      .addOption(maxFileSizeOption())
      .addOption(maxDocumentsOption())
      .addOption(new Option('--output <format>', 'report format').choices(['text', 'json']).default('text'))
      .option('--crds <path>', 'a file or directory of more CustomResourceDefinitions to validate against (e.g. cert-manager\'s, Argo CD\'s); repeatable',
        (value: string, previous: string[]) => [...previous, value], [] as string[])
      .option('--ignore-missing-schemas', 'list objects whose kind no schema defines as not checked, instead of failing')
      .addHelpText('after', [
        '',
        'Examples:',
        '  $ inference-migrate validate migrations/vllm-llama3-8b-instruct',
        '  $ inference-migrate validate gitops/ --crds crds/cert-manager.crds.yaml --ignore-missing-schemas --output json',
        '',
        'Exit codes: 0 every object passes, 1 problems found, nothing validated (no object, or no schema for any) or bad input, 64 usage error,',
        '70 internal error.',
      ].join('\n'))
      .action((input: string, flags: ValidateFlags, cmd: Command) => {
        const reader = load<typeof Reader>('../discover/repo-reader');
        const validation = load<typeof SourceValidation>('../discover/source-validation');
        const repo = reader.readInput(input, { skipOutputs: false, maxFileBytes: flags.maxFileSize, maxDocuments: flags.maxDocuments });
        if (flags.output === 'text') printSkipped(ctx.io, repo.root, repo.skipped, cmd.optsWithGlobals().verbose);
        const found = validation.validateSources(repo.objects, validation.validatorWithCrds(flags.crds, flags.targetGie));
        const unchecked = flags.ignoreMissingSchemas ? found.filter((p) => p.source === 'unknown-kind') : [];
        const problems = found.filter((p) => !unchecked.includes(p));
        const where = (p: { file: string; line: number }) => `${reader.displayPath(repo.root, p.file)}:${p.line}`;
        const bad = new Set(problems.map((p) => `${p.file}:${p.object}`)).size;
        // Nothing checked is not a pass: an empty folder, only skipped documents, or only kinds without a schema.
        const checked = repo.objects.length - new Set(unchecked.map((p) => `${p.file}:${p.object}`)).size;
        const nothing = problems.length === 0 && checked === 0
          ? `nothing was validated: ${repo.objects.length === 0
            ? `no Kubernetes object in ${repo.files.length} file${repo.files.length === 1 ? '' : 's'} read${repo.skipped.length > 0 ? ` (${repo.skipped.length} skipped: --verbose lists them)` : ''}`
            : `no schema is known for the kind of any of the ${repo.objects.length} object${repo.objects.length === 1 ? '' : 's'} (give their CRDs with --crds)`}`
          : undefined;
        ctx.exitCode = problems.length > 0 || nothing !== undefined ? EXIT.FAILURE : EXIT.OK;
        if (flags.output === 'json') {
          ctx.io.stdout(`${JSON.stringify({
            objects: repo.objects.length,
            files: repo.files.length,
            problems: problems.map((p) => ({
              file: reader.displayPath(repo.root, p.file), line: p.line, object: p.object, field: p.field, source: p.source, message: p.message,
            })),
            notChecked: unchecked.map((p) => ({
              file: reader.displayPath(repo.root, p.file), line: p.line, object: p.object, reason: p.message,
            })),
            skipped: repo.skipped.map((s) => ({
              file: reader.displayPath(repo.root, s.file), line: s.line, reason: s.reason, notable: s.notable === true,
            })),
            ...(nothing !== undefined ? { error: nothing } : {}),
            exitCode: ctx.exitCode,
          }, null, 2)}\n`);
          return;
        }
        for (const p of problems) ctx.io.stdout(`${where(p)}: ${p.message}\n`);
        printWarnings(ctx.io, unchecked.map((p) => `${where(p)}: ${p.object} not checked: no schema is known for its kind ` +
          '(--ignore-missing-schemas; give its CRD with --crds to check it)'));
        const objects = `${repo.objects.length} object${repo.objects.length === 1 ? '' : 's'} in ${repo.files.length} file${repo.files.length === 1 ? '' : 's'}`;
        if (problems.length > 0) {
          ctx.io.stderr(`error: ${problems.length} problem${problems.length === 1 ? '' : 's'} in ${bad} of ${objects}\n`);
          return;
        }
        if (nothing !== undefined) {
          ctx.io.stderr(`error: ${nothing}\n`);
          return;
        }
        ctx.io.stdout(`${objects}: no problems${unchecked.length > 0 ? ` (${unchecked.length} not checked)` : ''}\n`);
      });
  },
};
