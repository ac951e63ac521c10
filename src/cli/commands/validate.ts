import { Command } from 'commander';
import type { CliCommand } from './index';
import { maxFileSizeOption, parseTargetGie } from './options';
import { NEWEST_BRIDGE_GIE } from '../../convert/gie-versions';
import type * as Reader from '../../discover/repo-reader';
import type * as SourceValidation from '../../discover/source-validation';
import { CliContext, EXIT, printSkipped } from '../context';
import { load } from '../lazy';

/** `validate`: checks the manifests under a directory against the pinned CRDs and core schemas. */
export const validateCommand: CliCommand = {
  path: ['validate'],
  register(parent: Command, ctx: CliContext): Command {
    return parent.command('validate')
      .summary('check the manifests under a directory against the pinned CRDs and core schemas')
      .description('Validates every Kubernetes object under DIR the way an API server would: custom resources against the pinned CRDs ' +
        '(OpenAPI schema and CEL rules), built-in, GKE and Istio kinds with their published schemas. Prints each problem with file, line, object and field.')
      .argument('<dir>', 'directory of manifests to read')
      .option('--target-gie <version>', `the GIE release whose CRDs the inference objects are checked against (a bridge release, as plan's --target-gie; default: ${NEWEST_BRIDGE_GIE})`, parseTargetGie, NEWEST_BRIDGE_GIE)
      .addOption(maxFileSizeOption())
      .addHelpText('after', [
        '',
        'Example:',
        '  $ inference-migrate validate migrations/vllm-llama3-8b-instruct',
        '',
        'Exit codes: 0 every object passes, 1 problems found or bad input, 64 usage error, 70 internal error.',
      ].join('\n'))
      .action((dir: string, flags: { targetGie: string; maxFileSize?: number }, cmd: Command) => {
        const reader = load<typeof Reader>('../discover/repo-reader');
        const repo = reader.readRepo(dir, { skipOutputs: false, maxFileBytes: flags.maxFileSize });
        printSkipped(ctx.io, repo.root, repo.skipped, cmd.optsWithGlobals().verbose);
        const validation = load<typeof SourceValidation>('../discover/source-validation');
        const problems = validation.validateSources(repo.objects, validation.validatorFor(flags.targetGie));
        for (const p of problems) ctx.io.stdout(`${reader.displayPath(repo.root, p.file)}:${p.line}: ${p.message}\n`);
        const objects = `${repo.objects.length} object${repo.objects.length === 1 ? '' : 's'} in ${repo.files.length} file${repo.files.length === 1 ? '' : 's'}`;
        if (problems.length > 0) {
          const bad = new Set(problems.map((p) => `${p.file}:${p.object}`)).size;
          ctx.io.stderr(`error: ${problems.length} problem${problems.length === 1 ? '' : 's'} in ${bad} of ${objects}\n`);
          ctx.exitCode = EXIT.FAILURE;
          return;
        }
        ctx.io.stdout(`${objects}: no problems\n`);
        ctx.exitCode = EXIT.OK;
      });
  },
};
