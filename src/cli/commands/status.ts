import { Command, Option } from 'commander';
import type { CliCommand } from './index';
import { parsePath } from './options';
import type * as MigrationFolder from '../../discover/migration-folder';
import type * as PromotionModule from '../../migration/promotion';
import type * as Output from '../../output';
import { CliContext, EXIT, UsageError, printWarnings } from '../context';
import { load } from '../lazy';

interface StatusFlags {
  readonly app?: string;
  readonly name?: string;
  readonly stage?: string;
  readonly output: 'text' | 'json';
}

/** `status`: which stage of a migration is active, which is next, and what it changes. */
export const statusCommand: CliCommand = {
  path: ['status'],
  register(parent: Command, ctx: CliContext): Command {
    return parent.command('status')
      .summary('say which stage of a migration is active, which is next, and what the next one changes')
      .description('Reads the Argo CD Application or Flux Kustomization in --app that points at a stage folder of the migration in MIGRATION_DIR ' +
        '(or takes the stage an app selects in code, with --stage) and prints the active stage, the next one, and the field-level changes of the next one.')
      .argument('<migration-dir>', 'folder of one migration (holds plan.json and the stage folders)', parsePath)
      .option('--app <file>', 'YAML file with the Argo CD Application or Flux Kustomization that points at the migration', parsePath)
      .option('--name <name>', 'metadata.name of the object, when several in --app point at the migration')
      .option('--stage <stage>', 'the active stage, for apps that select it in code (activeStage): folder (02-shift-50) or name')
      .addOption(new Option('--output <format>', 'text or json').choices(['text', 'json']).default('text'))
      .addHelpText('after', [
        '',
        'Examples:',
        '  $ inference-migrate status migrations/vllm-llama3-8b-instruct --app clusters/prod/llm-migration.yaml',
        '  $ inference-migrate status migrations/vllm-llama3-8b-instruct --stage 02-shift-50',
        '',
        'Exit codes: 0 printed, 1 no object in --app points at a stage of the migration (or bad input), 64 usage error.',
      ].join('\n'))
      .action((dir: string, flags: StatusFlags) => {
        if ((flags.app === undefined) === (flags.stage === undefined)) {
          throw new UsageError('give either --app <file> (a GitOps object points at the stage) or --stage <stage> (the app selects it in code)');
        }
        if (flags.name !== undefined && flags.app === undefined) throw new UsageError('--name picks an object of --app: give --app');
        const folder = load<typeof MigrationFolder>('../discover/migration-folder').readMigrationFolder(dir);
        const appText = flags.app !== undefined ? load<typeof Output>('../output').readFileForEdit(flags.app).text : undefined;
        const { Promotion } = load<typeof PromotionModule>('../migration/promotion');
        const status = Promotion.status({
          planText: folder.planText,
          planFile: folder.planFile,
          appText,
          appFile: flags.app,
          name: flags.name,
          stage: flags.stage,
          migrationDir: dir,
          ...(folder.activeStageRecordText !== undefined ? { activeStageRecordText: folder.activeStageRecordText } : {}),
        });
        printWarnings(ctx.io, status.warnings);
        if (flags.output === 'json') {
          ctx.io.stdout(`${JSON.stringify(status, null, 2)}\n`);
          ctx.exitCode = EXIT.OK;
          return;
        }
        const total = status.stages.length;
        const lines = [
          `migration ${status.migration}${status.kind ? ` (${status.kind})` : ''}: ${status.stages.join(', ')}`,
          `active: ${status.activeStage} (stage ${status.activeOrdinal} of ${total})${status.source ? `, from the ${status.source}` : ''}`,
          ...(status.activePurpose ? [`  ${status.activePurpose}`] : []),
        ];
        if (status.nextStage === undefined) {
          lines.push(`next:   none: ${status.activeStage} is the last stage; the migration is done once its checks pass`);
        } else {
          lines.push(`next:   ${status.nextStage} (stage ${status.activeOrdinal + 1} of ${total})`);
          if (status.nextPurpose) lines.push(`  ${status.nextPurpose}`);
          lines.push('  changes:', ...(status.nextChanges.length > 0 ? status.nextChanges.map((l) => `    ${l}`) : ['    no object changes']));
          if (status.nextManualSteps.length > 0) lines.push('  by hand (see its README):', ...status.nextManualSteps.map((l) => `    ${l}`));
          if (status.promoteCommand !== undefined) {
            lines.push(`to promote: ${status.promoteCommand}`);
          } else {
            lines.push(`to promote: set activeStage: '${status.nextStage}' on the migration (or the context ${status.contextKey} to ${status.nextStage})`);
          }
        }
        ctx.io.stdout(`${lines.join('\n')}\n`);
        ctx.exitCode = EXIT.OK;
      });
  },
};
