import * as path from 'path';
import { Command, Option } from 'commander';
import type { CliCommand } from './index';
import { parsePath } from './options';
import type * as MigrationFolder from '../../discover/migration-folder';
import type * as ActiveStage from '../../migration/active-stage';
import type * as PromotionModule from '../../migration/promotion';
import type * as Output from '../../output';
import { CliContext, EXIT, UsageError, printWarnings } from '../context';
import { load } from '../lazy';

interface PromoteFlags {
  readonly app: string;
  readonly name?: string;
  readonly to?: string;
  readonly skip?: boolean;
  readonly rollback?: boolean;
  readonly dryRun?: boolean;
  readonly output: 'text' | 'json';
}

/** `promote`: points the GitOps object of a migration at its next stage folder, and prints the pull request. */
export const promoteCommand: CliCommand = {
  path: ['promote'],
  register(parent: Command, ctx: CliContext): Command {
    return parent.command('promote')
      .summary('point the Argo CD Application or Flux Kustomization of a migration at its next stage, and print the pull request')
      .description('Reads the Argo CD Application (spec.source.path) or Flux Kustomization (spec.path) in --app that points at a stage folder of the ' +
        'migration in MIGRATION_DIR, and changes only that path value to the next stage folder (or --to): every other byte of the file stays as it was. ' +
        'This is the one edit inference-migrate makes to a file it did not write: a symbolic link is refused, and the file is replaced only if it is ' +
        'unchanged since it was read. Prints the pull request title and body (Markdown) on stdout: what the stage does, the field-level changes, ' +
        'the checks before merging and after syncing, and the rollback.')
      .argument('<migration-dir>', 'folder of one migration (holds plan.json and the stage folders)', parsePath)
      .requiredOption('--app <file>', 'YAML file with the Argo CD Application or Flux Kustomization (multi-document files are fine)', parsePath)
      .option('--name <name>', 'metadata.name of the object to change, when several in --app point at the migration')
      .option('--to <stage>', 'stage to move to, by folder (03-finalize) or name (finalize) (default: the next stage; with --rollback, the previous one)')
      .option('--skip', 'allow moving past a stage without syncing it (with --to)')
      .option('--rollback', 'move back to an earlier stage')
      .option('--dry-run', 'print the diff of the file without writing it')
      .addOption(new Option('--output <format>', 'text (the pull request title and body) or json').choices(['text', 'json']).default('text'))
      .addHelpText('after', [
        '',
        'Examples:',
        '  $ inference-migrate promote migrations/vllm-llama3-8b-instruct --app clusters/prod/llm-migration.yaml > pr.md',
        '  $ inference-migrate promote migrations/vllm-llama3-8b-instruct --app clusters/prod/llm-migration.yaml --dry-run',
        '  $ inference-migrate promote migrations/vllm-llama3-8b-instruct --app clusters/prod/llm-migration.yaml --rollback',
        '',
        'The first line on stdout is the pull request title, the body follows after an empty line',
        '(e.g. gh pr create --title "$(head -n1 pr.md)" --body "$(tail -n +3 pr.md)").',
        '',
        'Exit codes: 0 changed (or printed with --dry-run), 1 refused (no object points at a stage of the migration, a skip without --skip,',
        'a move back without --rollback, an ApplicationSet or multi-source Application, a changed or linked file), 64 usage error.',
      ].join('\n'))
      .action((dir: string, flags: PromoteFlags) => {
        if (flags.skip && flags.to === undefined) throw new UsageError('--skip needs --to <stage>: it allows moving past stages to the one named');
        const migrationFolder = load<typeof MigrationFolder>('../discover/migration-folder');
        const folder = migrationFolder.readMigrationFolder(dir);
        const output = load<typeof Output>('../output');
        const file = output.readFileForEdit(flags.app);
        const { Promotion } = load<typeof PromotionModule>('../migration/promotion');
        const { ACTIVE_STAGE_FILE } = load<typeof ActiveStage>('../migration/active-stage');
        // The record of the stage goes into the output that holds the migration folder (its marker lists plan.json).
        const record = output.findRecordTarget(dir, 'plan.json', ACTIVE_STAGE_FILE);
        const recordFile = record === undefined ? undefined : path.join(record.root, record.path).split(path.sep).join('/');
        const result = Promotion.promote({
          appText: file.text,
          appFile: flags.app,
          planText: folder.planText,
          planFile: folder.planFile,
          migrationDir: dir,
          name: flags.name,
          to: flags.to,
          skip: flags.skip,
          rollback: flags.rollback,
          ...(recordFile !== undefined ? { recordFile } : {}),
        });
        // The folder the object will point at exists, and plan.json agrees with the folders on disk.
        migrationFolder.checkStageFolders(folder, result.stages, result.toStage);
        // A record that could not be written stops the promotion before the GitOps file changes.
        if (record !== undefined) {
          try {
            output.checkRecordTarget(record);
          } catch (err) {
            if (err instanceof Error) err.message = `${err.message}; the stage could not be recorded, so ${flags.app} was not changed`;
            throw err;
          }
        }
        if (!flags.dryRun) output.replaceFileContent(flags.app, file.sha256, result.text, { report: (notice) => printWarnings(ctx.io, [notice]) });
        const verb = flags.dryRun ? 'would move' : 'moved';
        printWarnings(ctx.io, [
          ...result.warnings,
          ...(record === undefined ? [`the stage is not recorded in ${path.join(dir, ACTIVE_STAGE_FILE)}: no marker of inference-migrate proves ${path.join(dir, 'plan.json')} (lists it with its sha256, in a folder reached without a symbolic link) `
            + '(plan again into this folder to have one); a later plan cannot tell which stage is live'] : []),
        ]);
        if (!flags.dryRun && record !== undefined) {
          try {
            output.writeRecord(record, result.activeStageRecord, 'promote');
          } catch (err) {
            if (err instanceof Error) err.message = `${flags.app} was changed (${result.fromStage} -> ${result.toStage}), but the stage was not recorded: ${err.message}`;
            throw err;
          }
        }
        if (flags.output === 'json') {
          ctx.io.stdout(`${JSON.stringify({
            written: !flags.dryRun,
            file: flags.app,
            migration: result.migration,
            from: result.fromStage,
            to: result.toStage,
            object: { tool: result.tool, kind: result.objectKind, name: result.objectName, field: result.field, line: result.line },
            oldPath: result.oldPath,
            newPath: result.newPath,
            diff: result.diff,
            warnings: result.warnings,
            ...(recordFile !== undefined ? { activeStageRecord: recordFile } : {}),
            pullRequest: { title: result.pullRequestTitle, body: result.pullRequestBody },
          }, null, 2)}\n`);
        } else if (flags.dryRun) {
          ctx.io.stdout(result.diff);
        } else {
          ctx.io.stdout(`${result.pullRequestTitle}\n\n${result.pullRequestBody}`);
        }
        ctx.io.stderr(`${flags.dryRun ? 'dry run: ' : ''}${verb} the ${result.tool} ${result.objectKind} ${result.objectName} (${flags.app}:${result.line}) ` +
          `from ${result.fromStage} to ${result.toStage}: ${result.field} ${result.oldPath} -> ${result.newPath}` +
          `${recordFile !== undefined ? `; ${flags.dryRun ? 'would record' : 'recorded'} it in ${recordFile}` : ''}${flags.dryRun ? '; nothing was written' : ''}\n`);
        ctx.exitCode = EXIT.OK;
      });
  },
};
