import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ACTIVE_STAGE_FILE, keepActiveStages } from './active-stage';
import { DiagramPool, migrationDiagram } from './diagram';
import {
  ManifestDiff,
  ManifestMemo,
  SYNC_WAVE,
  defaultSyncWave,
  diffManifests,
  fileNames,
  groupOf,
  identity,
  sortForApply,
  stableJson,
  toYaml,
  withSyncWave,
} from './manifests';
import { IMigration, SyncWaveRule, isMigration } from './migration';
import { ManualStepTiming, MigrationStage } from './migration-stage';
import { PlanFile, PlanObjectRef } from './plan-file';
import { renderMigrationReadme, renderStageReadme } from './readme';
import { PropError, UserError } from '../core/errors';
import { carriedSourceOf } from '../inference/carried-registry';
import { OutputDirectory, OutputError, fileModeLike, symlinkError, lstatOrUndefined, readRecords } from '../output';
import { ManifestValidator } from '../validation';
import { secretValues } from '../validation/redact';

/** Options of a `GitOpsWriter`. */
export interface GitOpsWriterOptions {
  /** Directory the migration folders are written into. */
  readonly outdir: string;

  /**
   * Annotate objects with Argo CD sync waves (pools and EPP 0, objectives 1, routes 2). Objects carried
   * unchanged from Git are left as they are.
   * @default true
   */
  readonly syncWaves?: boolean;

  /**
   * Also write a `crds/` folder whose kustomization references the pinned CRD URLs, with `Prune=false`
   * and sync wave -1, for a separate, never-pruning GitOps object.
   * @default false
   */
  readonly crdsFolder?: boolean;

  /**
   * Path of `outdir` inside the GitOps repository, for the example Argo CD and Flux manifests.
   * @default - `outdir` when it is relative, else the migration folders are named from the repository root
   */
  readonly repoPath?: string;

  /**
   * Validate every object of every stage against the pinned CRDs and core schemas before anything is
   * written; a problem throws and nothing is written. On by default, as on the command line (`plan`,
   * `plan-kserve`); `false` skips it (the tests of this package validate the built-in examples).
   * @default true
   */
  readonly validate?: boolean;

  /**
   * Keep files in a migration folder that the writer did not write, or that were changed after it
   * wrote them, where they are. Without it such files make the write fail with their list; either way
   * they are never removed or replaced (only files listed, with their sha256, in the folder's marker
   * `.inference-migrate-output.json` are).
   * @default false
   */
  readonly keepUnknownFiles?: boolean;
}

/** A file of the output, before it is written. */
export interface GeneratedFile {
  /** Path relative to `outdir`, with `/` separators, e.g. `my-migration/01-side-by-side/README.md`. */
  readonly path: string;
  /** Content (UTF-8). */
  readonly content: string;
  /**
   * Permission bits to write the file with: those of the input file of a carried object that holds
   * secret values (a Secret, env values), so a 0600 input is not written 0644.
   * @default - the default of new files (0644 less the umask)
   */
  readonly mode?: number;
}

/** What `GitOpsWriter.renderMigrations` produces: every migration and every file, nothing written. */
export interface GitOpsOutput {
  /** The migrations, as they would be written. */
  readonly migrations: WrittenMigration[];
  /** Every file (the marker excluded). */
  readonly files: GeneratedFile[];
}

/** A stage folder as written. */
export interface WrittenStage {
  /** Folder name, e.g. `02-shift-50`. */
  readonly folder: string;
  /** The object files, in kustomization order. */
  readonly files: string[];
}

/** A migration as written. */
export interface WrittenMigration {
  /** Name of the migration. */
  readonly name: string;
  /** Absolute path of the migration folder. */
  readonly directory: string;
  /** The stage folders. */
  readonly stages: WrittenStage[];
  /** Number of object files written over all stages. */
  readonly objectCount: number;
  /**
   * Files and folders in the migration folder that the writer did not write (or that were changed
   * since) and kept where they are (`keepUnknownFiles`); paths relative to the migration folder.
   */
  readonly keptFiles: string[];
  /** What else a user should know, e.g. that an interrupted earlier write was finished. */
  readonly notices: string[];
}

interface RenderedStage {
  readonly stage: MigrationStage;
  readonly objects: any[];
  readonly files: string[];
  readonly diff: ManifestDiff;
  /** The original text of the objects carried unchanged from Git, by object. */
  readonly texts: Map<object, string>;
  /** The objects carried from Git (changed or not). */
  readonly carried: Set<object>;
  /** Permission bits of the input file of each carried object that holds secret values. */
  readonly modes: Map<object, number>;
}

interface RenderedMigration {
  readonly migration: IMigration;
  readonly stages: RenderedStage[];
  /** What validation could not check (carried kinds without a schema), for people. */
  readonly notices: string[];
  /** The objects known to exist before the first stage. */
  readonly baseline: any[];
}

/** A migration rendered, validated and made into its files; its objects are not kept. */
interface SerializedMigration {
  readonly migration: IMigration;
  readonly summary: Omit<WrittenMigration, 'keptFiles' | 'notices'>;
  /** What validation could not check (carried kinds without a schema), for people. */
  readonly notices: string[];
  /** The files of the migration folder, paths relative to it. */
  readonly files: GeneratedFile[];
}

/**
 * Writes migrations as GitOps-ready folders: `<outdir>/<migration>/<NN>-<stage>/` with one YAML file per
 * object, a `kustomization.yaml` listing exactly those files, and a README (what changed, how to verify,
 * how to roll back, what to do by hand); the migration folder gets a README, example Argo CD and Flux
 * manifests and a `plan.json`. Everything is synthesized (and optionally validated) before the first
 * file is written, and the same input gives byte-identical files.
 *
 * A migration folder is written as a whole and crash-safely, and its marker
 * `.inference-migrate-output.json` lists every file with its sha256: a later write replaces only those
 * files, while unchanged, and never removes a file the writer did not write (see `keepUnknownFiles`).
 * Symbolic links are refused, never followed.
 *
 * Each stage is synthesized on its own, so the cost grows linearly with the number of stages (cdk8s'
 * `App.synth()` validates the whole app once per chart).
 */
export class GitOpsWriter {
  /**
   * Synthesizes one stage: runs the validations of its constructs, then renders its API objects.
   * Throws with every construct path and message when a validation fails.
   */
  public static synthesizeStage(stage: MigrationStage): object[] {
    return stageApiObjects(stage).map((o) => o.toJson());
  }

  /** Every migration under `scope` (including `scope` itself), in construct order. */
  public static findMigrations(scope: IConstruct): IMigration[] {
    return scope.node.findAll().filter((c) => isMigration(c)) as unknown as IMigration[];
  }

  private readonly outdir: string;
  private readonly syncWaves: boolean;
  private readonly crdsFolder: boolean;
  private readonly repoPath: string;
  private readonly validate: boolean;
  private readonly keepUnknownFiles: boolean;

  public constructor(options: GitOpsWriterOptions) {
    if (!options || typeof options.outdir !== 'string' || options.outdir.length === 0) {
      throw new PropError('GitOpsWriter: \'outdir\' must be a directory path');
    }
    this.outdir = path.resolve(options.outdir);
    this.syncWaves = options.syncWaves ?? true;
    this.crdsFolder = options.crdsFolder ?? false;
    this.repoPath = options.repoPath ?? (path.isAbsolute(options.outdir) ? '.' : options.outdir);
    this.validate = options.validate ?? true;
    this.keepUnknownFiles = options.keepUnknownFiles ?? false;
  }

  /** Writes one migration. */
  public write(migration: IMigration): WrittenMigration {
    return this.writeMigrations([migration])[0];
  }

  /** Writes every migration found under `scope` (an App, a Chart, or any construct). */
  public writeAll(scope: IConstruct): WrittenMigration[] {
    const migrations = GitOpsWriter.findMigrations(scope);
    if (migrations.length === 0) throw new UserError(`GitOpsWriter: no migration found under ${scope.node.path || 'the app'}`);
    return this.writeMigrations(migrations);
  }

  /**
   * Writes the given migrations, each into its folder `<outdir>/<migration>`; nothing is written
   * unless all of them render (and validate). A folder is replaced as a whole (crash-safe: a folder is
   * never left half old, half new) and only when it holds an earlier output of this writer; files the
   * writer did not write are never removed (see `keepUnknownFiles`). A symbolic link as `outdir` or
   * anywhere in a migration folder is refused.
   */
  public writeMigrations(migrations: IMigration[]): WrittenMigration[] {
    const serialized = this.renderAll(migrations);
    const outdirStat = lstatOrUndefined(this.outdir, this.outdir);
    if (outdirStat?.isSymbolicLink()) throw symlinkError(`GitOpsWriter: outdir ${this.outdir}`);
    if (outdirStat && !outdirStat.isDirectory()) throw new OutputError(`GitOpsWriter: outdir ${this.outdir} exists and is not a directory`);
    const targets: OutputDirectory[] = [];
    try {
      for (const r of serialized) {
        // openIn refuses a migration name that is not one plain folder name (`../escaped`, `a/b`, `..`).
        const name = r.migration.migrationName;
        targets.push(OutputDirectory.openIn(this.outdir, name, {
          command: 'GitOpsWriter',
          label: `GitOpsWriter: ${path.join(this.outdir, name)}`,
          replace: true,
          keepUnknownFiles: this.keepUnknownFiles,
          keepHint: 'set the GitOpsWriter option keepUnknownFiles',
        }));
      }
      // A migration folder that promote recorded as live must keep that stage (and its record) in the new output.
      const kept = serialized.map((r, i) => keepActiveStages(readRecords(targets[i].path, ACTIVE_STAGE_FILE, 'root'), r.files, `GitOpsWriter: ${targets[i].path}`));
      return serialized.map((r, i) => {
        const result = targets[i].write(kept[i]);
        return { ...r.summary, keptFiles: result.kept, notices: [...r.notices, ...targets[i].notices, ...result.notices] };
      });
    } finally {
      for (const t of targets) t.close();
    }
  }

  /**
   * Renders the given migrations without writing anything: the files `writeMigrations` would write
   * (paths relative to `outdir`). Throws as `writeMigrations` does when a migration does not render or
   * validate.
   */
  public renderMigrations(migrations: IMigration[]): GitOpsOutput {
    const serialized = this.renderAll(migrations);
    return {
      migrations: serialized.map((r) => ({ ...r.summary, keptFiles: [], notices: [...r.notices] })),
      files: serialized.flatMap((r) => r.files.map((f) => ({ ...f, path: `${r.migration.migrationName}/${f.path}` }))),
    };
  }

  /**
   * Renders, validates and serializes the migrations one after the other, so that one migration's objects are
   * held at a time (their files are kept: nothing is written before every migration has passed). Throws at the
   * first migration that does not render, else with every validation problem of every migration.
   */
  private renderAll(migrations: IMigration[]): SerializedMigration[] {
    const names = new Set<string>();
    for (const m of migrations) {
      if (names.has(m.migrationName)) throw new UserError(`GitOpsWriter: two migrations are named ${m.migrationName}: each needs its own folder`);
      names.add(m.migrationName);
    }
    const validators = new Map<string, ManifestValidator>();
    const problems: string[] = [];
    const serialized: SerializedMigration[] = [];
    for (const m of migrations) {
      const r = this.render(m);
      if (this.validate) problems.push(...this.problemsOf(r, validators));
      // Once a problem is found nothing will be written: the files of the migrations left are not made.
      if (problems.length === 0) serialized.push({ migration: m, summary: this.summaryOf(r), files: this.filesOf(r), notices: r.notices });
    }
    if (problems.length > 0) {
      throw new UserError(`the planned stages do not pass the CRD schemas; nothing was written:\n  ${problems.join('\n  ')}`);
    }
    return serialized;
  }

  private render(migration: IMigration): RenderedMigration {
    // The migration's own invariants (e.g. cleanup holds no alpha object), then each stage's.
    const errors = migration.node.validate();
    if (errors.length > 0) {
      throw new UserError(`Validation failed with the following errors:\n  ${errors.map((e) => `[${migration.node.path}] ${e}`).join('\n  ')}`);
    }
    if (migration.stages.length === 0) {
      throw new UserError(`GitOpsWriter: migration ${migration.migrationName} (${migration.node.path}) has no stages: a migration needs at least one stage folder to write`);
    }
    const baseline = (migration.baseline ?? []).map((m) => m._object);
    const baselineKeys = new Map(baseline.map((o) => [identity(o), stableJson(o)]));
    let previous = baseline;
    const stages = migration.stages.map((stage) => {
      const texts = new Map<object, string>();
      const carriedHere = new Set<object>();
      const modes = new Map<object, number>();
      let objects = stageApiObjects(stage).map((apiObject) => {
        const json = apiObject.toJson();
        // An object carried from Git that nothing changed is written as its original text. An object equal
        // to what existed before the migration keeps its annotations as they are (so does a carried one the
        // baseline does not know); one that differs from it (KServe's restarted controller) gets its wave.
        const carried = carriedSourceOf(apiObject);
        const unchanged = carried !== undefined && stableJson(json) === stableJson(carried.rendered);
        const before = baselineKeys.get(identity(json));
        const keep = !this.syncWaves || (before !== undefined ? before === stableJson(json) : unchanged);
        const o = keep ? json : withSyncWave(json, waveOf(json, migration.syncWaveRules));
        const text = unchanged ? carried.manifest._fileText() : undefined;
        if (text !== undefined) texts.set(o, text);
        if (carried !== undefined) carriedHere.add(o);
        // Secrets read from a file only its owner may read are written the same way.
        const mode = carried?.manifest._fileMode;
        if (mode !== undefined && secretValues((o as any).kind, '', o).size > 0) modes.set(o, fileModeLike(mode));
        return o;
      });
      objects = sortForApply(objects);
      const files = fileNames(objects);
      const diff = diffManifests(previous, objects);
      previous = objects;
      return { stage, objects, files, diff, texts, carried: carriedHere, modes };
    });
    return { migration, stages, notices: [], baseline };
  }

  /**
   * The validation problems of every stage of a migration, one line each. An object that several stages hold
   * unchanged is validated once (its problems are listed under each of those stages).
   */
  private problemsOf(r: RenderedMigration, validators: Map<string, ManifestValidator>): string[] {
    const bundles = r.migration.validationBundles;
    // No bundles given (the validator's defaults) and an empty list (no CRD at all) must not share a validator.
    const key = bundles ? `bundles:${bundles.join(',')}` : 'default';
    let validator = validators.get(key);
    if (!validator) {
      validator = new ManifestValidator(bundles ? { crdBundles: bundles } : {});
      validators.set(key, validator);
    }
    const v = validator;
    const problemsOfObject = new ManifestMemo((o) => v.validate([o]).problems);
    const problems: string[] = [];
    const unchecked = new Set<string>();
    for (const s of r.stages) {
      // A kind carried from Git that no known schema defines (an Envoy AI Gateway route, say) was applied
      // as it is already: it is not checked, and the user hears so, rather than the plan failing.
      const carriedLabels = new Set([...s.carried].flatMap((o: any) => objectLabels(o)));
      for (const o of s.objects) {
        for (const p of problemsOfObject.get(o)) {
          if (p.source === 'unknown-kind' && carriedLabels.has(p.object)) {
            unchecked.add(p.object);
            continue;
          }
          problems.push(`${r.migration.migrationName}/${s.stage.folderName}: ${ManifestValidator.formatProblems([p])}`);
        }
      }
    }
    for (const label of unchecked) {
      r.notices.push(`${r.migration.migrationName}: ${label} is carried from the input, but no known schema defines its kind: it is written without schema validation`);
    }
    return problems;
  }

  /** What `r` is, as written into `<outdir>/<migration>`. */
  private summaryOf(r: RenderedMigration): Omit<WrittenMigration, 'keptFiles' | 'notices'> {
    const m = r.migration;
    const stages: WrittenStage[] = r.stages.map((s) => ({ folder: s.stage.folderName, files: s.files }));
    const objectCount = r.stages.reduce((n, s) => n + s.objects.length, 0);
    return { name: m.migrationName, directory: path.join(this.outdir, m.migrationName), stages, objectCount };
  }

  /** The files of the migration folder (paths relative to it), in the order they are made. */
  private filesOf(r: RenderedMigration): GeneratedFile[] {
    const m = r.migration;
    const files: GeneratedFile[] = [];
    const add = (file: string, content: string, mode?: number) => files.push({ path: file, content, ...(mode !== undefined ? { mode } : {}) });
    const total = r.stages.length;
    // An object that several stages hold unchanged is serialized once.
    const yamlOf = new ManifestMemo((o) => toYaml([o]));
    r.stages.forEach((s, i) => {
      const folder = s.stage.folderName;
      s.objects.forEach((o, j) => add(`${folder}/${s.files[j]}`, s.texts.get(o) ?? yamlOf.get(o), s.modes.get(o)));
      add(`${folder}/kustomization.yaml`, toYaml([{
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: s.files,
      }]));
      const steps = s.stage.manualSteps;
      add(`${folder}/README.md`, renderStageReadme({
        migrationName: m.migrationName,
        migrationTitle: m.overview.title,
        ordinal: s.stage.ordinal,
        total,
        folder,
        purpose: s.stage.purpose,
        previousFolder: i > 0 ? r.stages[i - 1].stage.folderName : undefined,
        nextFolder: i + 1 < total ? r.stages[i + 1].stage.folderName : undefined,
        baselineKnown: (m.baseline ?? []).length > 0,
        diff: s.diff,
        files: s.files.map((file, j) => ({ file, obj: s.objects[j] })),
        verifications: s.stage.verifications,
        beforeSync: steps.filter((x) => (x.timing ?? ManualStepTiming.AFTER_VERIFY) === ManualStepTiming.BEFORE_SYNC),
        afterSync: steps.filter((x) => (x.timing ?? ManualStepTiming.AFTER_VERIFY) === ManualStepTiming.AFTER_SYNC),
        afterVerify: steps.filter((x) => (x.timing ?? ManualStepTiming.AFTER_VERIFY) === ManualStepTiming.AFTER_VERIFY),
        rollback: steps.filter((x) => x.timing === ManualStepTiming.ROLLBACK),
        warnings: s.stage.warnings,
        models: s.stage.modelTable,
      }));
    });

    const examples = 'gitops';
    const firstPath = path.posix.join(this.repoPath.split(path.sep).join('/'), m.migrationName, r.stages[0].stage.folderName);
    add(`${examples}/argocd-application.yaml`, argoApplication(m, firstPath));
    add(`${examples}/flux-kustomization.yaml`, fluxKustomization(m, firstPath));

    const crds = m.crds ?? [];
    if (this.crdsFolder && crds.length > 0) {
      add('crds/kustomization.yaml', toYaml([{
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: crds.map((c) => c.url),
        commonAnnotations: { 'argocd.argoproj.io/sync-options': 'Prune=false', [SYNC_WAVE]: '-1' },
      }]));
    }

    add('README.md', renderMigrationReadme({
      name: m.migrationName,
      title: m.overview.title,
      summary: m.overview.summary,
      preflight: m.overview.preflight,
      notes: m.overview.notes ?? [],
      warnings: m.warnings,
      stages: r.stages.map((s) => ({ folder: s.stage.folderName, purpose: s.stage.purpose, objects: s.objects.length })),
      diagram: migrationDiagram(
        r.stages.map((s) => ({ folder: s.stage.folderName, objects: s.objects, ...s.diff, externalPools: externalPools(s.stage) })),
        r.baseline,
      ),
      crds,
      crdsFolder: this.crdsFolder && crds.length > 0,
      examplesFolder: examples,
      syncWaves: m.overview.syncWaves,
      models: m.models ?? [],
    }));
    add('plan.json', `${JSON.stringify(planJson(r), null, 2)}\n`);
    return files;
  }
}

/**
 * The API objects of one stage, after running the validations of its constructs. Throws with every
 * construct path and message when a validation fails.
 */
function stageApiObjects(stage: MigrationStage): ApiObject[] {
  const errors: string[] = [];
  const constructs = stage.node.findAll();
  for (const c of constructs) {
    for (const e of c.node.validate()) errors.push(`[${c.node.path}] ${e}`);
  }
  if (errors.length > 0) {
    throw new UserError(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  }
  return constructs.filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === stage);
}

/** The sync wave of an object: the migration's rule for its kind, else the default. */
function waveOf(obj: any, rules: SyncWaveRule[] | undefined): number {
  const group = groupOf(obj.apiVersion);
  const rule = (rules ?? []).find((r) => r.kind === obj.kind && r.apiGroup === group);
  return rule ? rule.wave : defaultSyncWave(obj);
}

/** The pools a stage references without holding them (an alpha pool installed by Helm). */
function externalPools(stage: MigrationStage): DiagramPool[] {
  return stage.node.findAll()
    .filter((c: any) => c.external === true && typeof c.poolName === 'string' && typeof c.poolGroup === 'string')
    .map((c: any) => ({ group: c.poolGroup, namespace: c.poolNamespace ?? '', name: c.poolName }));
}

function ref(o: any): PlanObjectRef {
  return { apiVersion: o.apiVersion, kind: o.kind, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}), name: o.metadata.name };
}

function planJson(r: RenderedMigration): PlanFile {
  const m = r.migration;
  return {
    migration: m.migrationName,
    kind: m.migrationKind,
    namespace: m.namespace,
    title: m.overview.title,
    warnings: m.warnings,
    crds: m.crds ?? [],
    ...(m.models && m.models.length > 0 ? { models: m.models } : {}),
    stages: r.stages.map((s) => ({
      ordinal: s.stage.ordinal,
      name: s.stage.stageName,
      folder: s.stage.folderName,
      purpose: s.stage.purpose,
      objects: s.objects.map((o, i) => ({ file: s.files[i], ...ref(o) })),
      changes: {
        created: s.diff.created.map(ref),
        changed: s.diff.changed.map((o, i) => ({ ...ref(o), fields: s.diff.changedFields[i] })),
        deleted: s.diff.deleted.map(ref),
      },
      routes: s.objects.filter((o) => o.kind === 'HTTPRoute').map((o) => ({
        ...ref(o),
        rules: (o.spec?.rules ?? []).map((rule: any) => ({
          backends: (rule.backendRefs ?? []).map((b: any) => ({ group: b.group ?? '', kind: b.kind ?? 'Service', name: b.name, weight: b.weight ?? 1 })),
        })),
      })),
      manualSteps: s.stage.manualSteps,
      verifications: s.stage.verifications,
      warnings: s.stage.warnings,
    })),
  };
}

function argoApplication(m: IMigration, stagePath: string): string {
  return `# Example Argo CD Application for this migration. Set repoURL to your GitOps repository, then promote
# stage by stage by changing spec.source.path to the next stage folder (one reviewed change per stage).
${toYaml([{
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: m.migrationName, namespace: 'argocd' },
  spec: {
    project: 'default',
    source: { repoURL: 'https://github.com/your-org/your-gitops-repo.git', targetRevision: 'main', path: stagePath },
    destination: { server: 'https://kubernetes.default.svc', namespace: m.namespace },
    syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['ServerSideApply=true'] },
  },
}])}`;
}

function fluxKustomization(m: IMigration, stagePath: string): string {
  return `# Example Flux Kustomization for this migration. Set sourceRef to your GitRepository, then promote stage
# by stage by changing spec.path to the next stage folder (one reviewed change per stage).
${toYaml([{
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
  metadata: { name: m.migrationName, namespace: 'flux-system' },
  spec: {
    interval: '5m',
    path: `./${stagePath.replace(/^\.\//, '')}`,
    prune: true,
    wait: true,
    timeout: '10m',
    sourceRef: { kind: 'GitRepository', name: 'your-gitops-repo' },
  },
}])}`;
}


/** How the validator may name `o` in a problem: `Kind ns/name`, or `Kind name` for objects without a namespace. */
function objectLabels(o: any): string[] {
  const name = o?.metadata?.name;
  const ns = o?.metadata?.namespace;
  return [`${o?.kind} ${name}`, ...(typeof ns === 'string' ? [`${o?.kind} ${ns}/${name}`] : [])];
}
