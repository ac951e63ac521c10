/**
 * Where a migration's stages live, and how one of them becomes the desired state of `app.synth()`.
 * Internal: the migrations use it; `StageSelection` is the public part.
 */
import { App, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { MigrationStage, MigrationStageProps } from './migration-stage';
import { StageSelection } from './stage-selection';
import { PropError, propError, show, UserError } from '../core/errors';

/** The type of the construct metadata that records a migration's warnings (see `StageSet.activate`). */
export const WARNING_METADATA = 'warning';

/** Builds one stage's objects into `scope` (a stage chart, or the active copy inside the user's chart). */
export type StageContent = (scope: Construct) => void;

/**
 * A migration's stages. Each is a `MigrationStage` chart under a private App of its own (in a scope that
 * mirrors the migration's construct path, so error messages name the same paths), never under the user's
 * app: `app.synth()` does not write them, and the GitOps writer synthesizes each one on its own. The
 * active stage is built a second time inside the migration, so it renders in the enclosing chart like any
 * other construct: one copy of each object.
 */
export class StageSet {
  /** The stages, in order. */
  public readonly stages: MigrationStage[] = [];
  private readonly root: Construct;
  private readonly contents = new Map<MigrationStage, StageContent>();

  public constructor(private readonly migration: Construct) {
    let scope: Construct = new App();
    for (const part of migration.node.path.split('/').filter((p) => p.length > 0)) scope = new Construct(scope, part);
    this.root = scope;
  }

  /** Adds a stage and builds its objects. */
  public add(id: string, props: MigrationStageProps, content: StageContent): MigrationStage {
    const stage = new MigrationStage(this.root, id, props);
    content(stage);
    this.stages.push(stage);
    this.contents.set(stage, content);
    return stage;
  }

  /**
   * Adds to `warnings` (the migration's `warnings`) every warning of a stage's README that is not one of the
   * migration's own, as `<stage folder>: <warning>`, so that the list holds every warning a README carries.
   */
  public collectStageWarnings(warnings: string[]): void {
    // A warning several stages carry is listed once, with their folders (`02-shift-10, 03-shift-50: ...`).
    const folders = new Map<string, string[]>();
    for (const stage of this.stages) {
      for (const w of stage.warnings.filter((x) => !warnings.includes(x))) folders.set(w, [...(folders.get(w) ?? []), stage.folderName]);
    }
    for (const [w, where] of folders) {
      const line = `${where.join(', ')}: ${w}`;
      if (!warnings.includes(line)) warnings.push(line);
    }
  }

  /**
   * Selects the active stage (the `activeStage` prop, else the context key of the migration's name or id)
   * and builds its objects inside the migration. Without a selection, synthesizing the app fails with a
   * message that says how to select one: an app that silently dropped the migration's objects would have
   * a pruning GitOps tool delete them. Returns the active stage's folder name, if any.
   */
  public activate(migrationName: string, activeStage: string | undefined, warnings: string[]): string | undefined {
    const m = this.migration;
    const folders = this.stages.map((s) => s.folderName);
    let selected = activeStage;
    let contextKey: string | undefined;
    if (selected === undefined) {
      for (const key of new Set([StageSelection.contextKey(migrationName), StageSelection.contextKey(m.node.id)])) {
        const value = m.node.tryGetContext(key);
        if (value !== undefined && value !== null && value !== '') {
          if (selected !== undefined && selected !== value) {
            throw new UserError(`${m.node.path}: the context keys of the migration's name and id select different stages (${show(selected)} and ${show(value)}): set one`);
          }
          selected = value;
          contextKey = key;
        }
      }
    }
    if (selected === undefined) {
      new Construct(m, 'NoActiveStage').node.addValidation({
        validate: () => [noSelectionMessage(migrationName, folders)],
      });
      return undefined;
    }
    // By folder (`02-shift-10`) or by name, the stage's role without its position (`shift-10`, `cleanup`), which
    // stays the same when steps are added or removed.
    const stage = this.stages.find((s) => s.folderName === selected) ?? this.stages.find((s) => s.stageName === selected);
    if (!stage) {
      const wanted = `must name a stage by folder (${folders.join(', ')}) or by name (${this.stages.map((s) => s.stageName).join(', ')}) (got ${show(selected)})`;
      throw contextKey === undefined ? propError(m, 'activeStage', wanted) : new PropError(`${m.node.path}: the context key ${contextKey} ${wanted}`);
    }
    const scope = enclosingChart(m) ? new Construct(m, 'Default') : new Chart(m, 'Default', { disableResourceNameHashes: true });
    this.contents.get(stage)!(scope);
    // The checks of the stage chart (e.g. every route backend is in the stage) hold for the active copy too.
    scope.node.addValidation({ validate: () => stageErrors(stage) });
    // The migration's warnings, so that `cdk8s synth` shows them: cdk8s has no annotation API of its own, so each
    // is recorded as construct metadata of type `warning` (as the AWS CDK's Annotations record theirs) and printed
    // on stderr once, when app.synth() validates the app (read then: warnings added after construction count).
    scope.node.addValidation({ validate: () => reportWarnings(m, warnings) });
    return stage.folderName;
  }
}

/** The warnings already printed, per migration construct (app.synth() may run more than once). */
const reported = new WeakMap<IConstruct, Set<string>>();

/** Records each warning as `warning` metadata of the migration and prints it on stderr, once; never fails the synthesis. */
function reportWarnings(migration: IConstruct, warnings: string[]): string[] {
  const done = reported.get(migration) ?? new Set<string>();
  reported.set(migration, done);
  for (const w of warnings.filter((x) => !done.has(x))) {
    done.add(w);
    migration.node.addMetadata(WARNING_METADATA, w);
    process.stderr.write(`warning: [${migration.node.path}] ${w.split('\n').join('\n  ')}\n`);
  }
  return [];
}

function noSelectionMessage(name: string, folders: string[]): string {
  return `no active stage of migration ${name} is selected, so app.synth() cannot render its desired state ` +
    '(the GitOps writer writes every stage regardless). Select the stage the cluster should run: the ' +
    `'activeStage' prop (e.g. activeStage: '${folders[0]}'), or app.node.setContext('${StageSelection.contextKey(name)}', '<stage>') ` +
    `before the migration is added. Stages: ${folders.join(', ')}`;
}

/** The enclosing chart of `scope`, if any. */
export function enclosingChart(scope: IConstruct): Chart | undefined {
  return [...scope.node.scopes].reverse().find((c): c is Chart => Chart.isChart(c));
}

/** The validation errors of every construct of a stage, with their paths. */
function stageErrors(stage: MigrationStage): string[] {
  return stage.node.findAll().flatMap((c) => c.node.validate().map((e) => `[${c.node.path}] ${e}`));
}
