import { Command, Option } from 'commander';
import type { CliCommand } from './index';
import { maxDocumentsOption, maxFileSizeOption, parseLabelName, parsePath } from './options';
import type * as LlamaStackSource from '../../discover/llamastack-source';
import type * as Reader from '../../discover/repo-reader';
import { CliContext, EXIT, printSkipped, printWarnings } from '../context';
import { load } from '../lazy';
import { OutFlags, forceOption, keptLines, keepUnknownFilesOption, openOut, writeOut } from '../output';

interface ConvertFlags extends OutFlags {
  readonly namespace?: string;
  readonly mapEnv: boolean;
  readonly maxFileSize?: number;
  readonly maxDocuments?: number;
}

/** `convert llamastack`: LlamaStackDistributions from v1alpha1 (or the guide's v1alpha2 drafts) to typed v1alpha2. */
export const convertLlamaStackCommand: CliCommand = {
  path: ['convert', 'llamastack'],
  register(parent: Command, ctx: CliContext): Command {
    return parent.command('llamastack')
      .summary('convert LlamaStackDistributions from llamastack.io/v1alpha1 to v1alpha2')
      .description('Reads a YAML file, or every YAML file under a directory, converts each LlamaStackDistribution ' +
        '(v1alpha1 by the operator guide\'s field tables; v1alpha2 written in the guide\'s draft forms into the CRD\'s typed forms), ' +
        'checks the v1alpha2 rules and the pinned CRD, and writes one file per object plus a README with the migration steps into --out.')
      .argument('<path>', 'a YAML file or a directory of YAML files', parsePath)
      .requiredOption('-o, --out <dir>', 'directory to write (new or empty; see --force)', parsePath)
      .addOption(new Option('-n, --namespace <namespace>', 'namespace of objects that carry none (v1alpha2 reads overrideConfig ConfigMaps from the CR\'s namespace)').argParser(parseLabelName))
      .option('--no-map-env', 'copy every env var to workload.overrides.env, as the operator\'s webhook does, instead of turning known ones into providers')
      .addOption(forceOption())
      .addOption(keepUnknownFilesOption())
      .addOption(maxFileSizeOption())
      .addOption(maxDocumentsOption())
      .addHelpText('after', [
        '',
        'Example:',
        '  $ inference-migrate convert llamastack apps/llama-stack/ --out apps/llama-stack-v1alpha2',
        '',
        'Exit codes: 0 converted, 1 bad input (or nothing to convert) or refused --out, 64 usage error, 70 internal error.',
      ].join('\n'))
      .action((input: string, flags: ConvertFlags, cmd: Command) => {
        const reader = load<typeof Reader>('../discover/repo-reader');
        const repo = reader.readPath(input, { maxFileBytes: flags.maxFileSize, maxDocuments: flags.maxDocuments });
        printSkipped(ctx.io, repo.root, repo.skipped, cmd.optsWithGlobals().verbose);
        // A directory read is --from: the output must not land inside it.
        const out = openOut(ctx, 'convert llamastack', flags, repo.root === input ? { path: input, label: input } : undefined);
        try {
          const { convertLlamaStackSource, convertedFileMode } = load<typeof LlamaStackSource>('../discover/llamastack-source');
          const { renderLlamaStackReadme } = load<typeof import('../../llamastack/convert-files')>('../llamastack/convert-files');
          const { toYaml } = load<typeof import('../../migration/manifests')>('../migration/manifests');
          const result = convertLlamaStackSource(repo, {
            outDir: flags.out,
            namespace: flags.namespace,
            mapKnownEnv: flags.mapEnv,
            validate: true,
          });
          const written = writeOut(ctx, out, [
            ...result.converted.map((c) => {
              const mode = convertedFileMode(repo, c.object as any, flags.namespace);
              return { path: c.fileName, content: toYaml([c.object]), ...(mode !== undefined ? { mode } : {}) };
            }),
            { path: 'README.md', content: renderLlamaStackReadme(result.instructions, result.warnings) },
          ], `--out ${flags.out}`);
          printWarnings(ctx.io, result.warnings);
          ctx.io.stdout(`converted ${result.converted.length} LlamaStackDistribution${result.converted.length === 1 ? '' : 's'} into ${flags.out}:\n` +
            `${result.converted.map((c) => `  ${c.fileName} (from ${c.sourceApiVersion})`).join('\n')}\n` +
            `${keptLines(written).map((l) => `${l}\n`).join('')}\n${result.instructions.trimEnd()}\n`);
          ctx.exitCode = EXIT.OK;
        } finally {
          out.close();
        }
      });
  },
};
