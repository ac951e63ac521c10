import { Command } from 'commander';
import type { CliCommand } from './index';
import { parsePath } from './options';
import type * as Output from '../../output';
import { CliContext, EXIT } from '../context';
import { load } from '../lazy';
import { OutFlags, forceOption, keptLines, keepUnknownFilesOption, openOut, writeOut } from '../output';

interface ExampleFlags extends OutFlags {
  readonly gke?: boolean;
  readonly validate?: boolean;
}

/** `example`: writes the stages of the built-in examples (the upstream guides' migrations). */
export const exampleCommand: CliCommand = {
  path: ['example'],
  register(parent: Command, ctx: CliContext): Command {
    return parent.command('example')
      .summary('write the stages of the built-in examples (the upstream guides\' migrations)')
      .description('Writes the migrations of the upstream v1alpha2-to-v1 guide (zero-downtime and simple paths for the pool ' +
        'vllm-llama3-8b-instruct-alpha, HTTPRoute llm-route) and the GKE guide\'s variant, as GitOps stage folders; with --gke, only the GKE variant.')
      .requiredOption('-o, --out <dir>', 'directory to write (new or empty; see --force)', parsePath)
      .option('--gke', 'write only the GKE guide\'s variant (provider gke, alpha pool vllm-llama3-8b-instruct-preview)')
      .addOption(forceOption())
      .addOption(keepUnknownFilesOption())
      .option('--validate', 'validate every stage against the pinned CRDs before writing (the tests do this already)')
      .addHelpText('after', [
        '',
        'Example:',
        '  $ inference-migrate example --out dist',
        '',
        'Exit codes: 0 written, 1 refused --out, 64 usage error.',
      ].join('\n'))
      .action((flags: ExampleFlags) => {
        const out = openOut(ctx, 'example', flags);
        try {
          const output = load<typeof Output>('../output');
          const { App } = load<typeof import('cdk8s')>('cdk8s');
          const { GuideExamples } = load<typeof import('../../examples/guide-examples')>('../examples/guide-examples');
          const { GitOpsWriter } = load<typeof import('../../migration/gitops-writer')>('../migration/gitops-writer');
          const app = new App({ outdir: '.' });
          const migrations = flags.gke ? [GuideExamples.gke(app)] : GuideExamples.all(app);
          const writer = new GitOpsWriter({ outdir: flags.out, validate: flags.validate ?? false, repoPath: output.repoPathOf(flags.out) });
          const rendered = writer.renderMigrations(migrations);
          const result = writeOut(ctx, out, rendered.files, `--out ${flags.out}`);
          const written = rendered.migrations;
          const lines = [`wrote ${written.length} example migration${written.length === 1 ? '' : 's'} into ${flags.out}${flags.validate ? ' (every stage validated)' : ''}:`];
          for (const m of written) lines.push(`  ${m.name}/: ${m.stages.map((s) => s.folder).join(', ')}`);
          lines.push(...keptLines(result));
          ctx.io.stdout(`${lines.join('\n')}\n`);
          ctx.exitCode = EXIT.OK;
        } finally {
          out.close();
        }
      });
  },
};
