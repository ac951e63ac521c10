/**
 * The active-stage record that promote writes, and the check of a re-plan against it: a stage folder a GitOps
 * object syncs is never dropped by a new plan, and the record survives the re-plan with it.
 */
import { ACTIVE_STAGE_FILE, keepActiveStages, parseActiveStageRecord, renderActiveStageRecord } from '../../src/migration/active-stage';

const record = (activeStage: string, migration = 'llm') => renderActiveStageRecord({
  migration,
  activeStage,
  stageName: activeStage.replace(/^\d+-/, ''),
  promotedFrom: '01-side-by-side',
  gitopsObject: 'Argo CD Application argocd/llm',
  file: 'clusters/prod/llm.yaml',
});
const stageFiles = (migration: string, ...folders: string[]) => [
  { path: `${migration}/plan.json`, content: '{}' },
  ...folders.flatMap((f) => [{ path: `${migration}/${f}/kustomization.yaml`, content: 'x' }, { path: `${migration}/${f}/README.md`, content: 'x' }]),
];

describe('the active-stage record', () => {
  test('given a record, then it reads back as written, and the same promotion gives the same bytes', () => {
    const text = record('02-shift-10');
    expect(text).toBe(record('02-shift-10'));
    expect(parseActiveStageRecord(text, 'f')).toEqual({
      migration: 'llm',
      activeStage: '02-shift-10',
      stageName: 'shift-10',
      promotedFrom: '01-side-by-side',
      gitopsObject: 'Argo CD Application argocd/llm',
      file: 'clusters/prod/llm.yaml',
    });
  });

  test.each([
    ['not JSON', 'nope', /^f: not the JSON record inference-migrate promote writes/],
    ['another tool\'s JSON', '{"activeStage": "x"}', /^f: not the record inference-migrate promote writes \(no migration, stageName/],
  ])('given %s, then reading it names the file', (_what, text, error) => {
    expect(() => parseActiveStageRecord(text, 'f')).toThrow(error);
  });
});

describe('a re-plan over a promoted output', () => {
  const previous = (activeStage: string, proven = true) => [{ path: `llm/${ACTIVE_STAGE_FILE}`, text: record(activeStage), proven }];

  test('given a new plan that keeps the recorded stage, then the record is carried into the new output unchanged', () => {
    const files = stageFiles('llm', '01-side-by-side', '02-shift-10', '03-shift-50', '04-finalize', '05-cleanup');
    const kept = keepActiveStages(previous('02-shift-10'), files, '--out m');
    expect(kept).toEqual([...files, { path: `llm/${ACTIVE_STAGE_FILE}`, content: record('02-shift-10') }]);
  });

  test('given a new plan whose steps renumber the recorded stage, then it is refused naming the stage, the object and the new stages', () => {
    const files = stageFiles('llm', '01-side-by-side', '02-shift-25', '03-shift-75', '04-finalize', '05-cleanup');
    expect(() => keepActiveStages(previous('02-shift-10'), files, '--out m')).toThrow(new RegExp(
      '^--out m: the new plan would delete the stage a GitOps object syncs: llm was promoted to 02-shift-10 \\(llm/active-stage.json: '
      + 'the Argo CD Application argocd/llm in clusters/prod/llm.yaml syncs it\\), and the new plan has no folder 02-shift-10 '
      + '\\(its stages: 01-side-by-side, 02-shift-25, 03-shift-75, 04-finalize, 05-cleanup\\)\\..*--rollback.*nothing was written$'));
  });

  test('given a new plan without the promoted migration, then it is refused', () => {
    expect(() => keepActiveStages(previous('01-side-by-side'), stageFiles('other', '01-side-by-side'), '--out m'))
      .toThrow(/llm was promoted to 01-side-by-side .* the new plan has no folder 01-side-by-side \(it has no such migration\)/);
  });

  test('given a record the tool cannot prove it wrote, then it is checked but not carried (the output module decides about it)', () => {
    const files = stageFiles('llm', '01-side-by-side', '02-shift-10');
    expect(keepActiveStages(previous('02-shift-10', false), files, '--out m')).toEqual(files);
    expect(() => keepActiveStages(previous('03-shift-50', false), files, '--out m')).toThrow(/no folder 03-shift-50/);
  });

  test('given a GitOpsWriter folder (the record at its root), then the stage is looked up at the root too', () => {
    const files = stageFiles('x', '01-side-by-side', '02-shift-10').map((f) => ({ ...f, path: f.path.slice(2) }));
    const root = [{ path: ACTIVE_STAGE_FILE, text: record('02-shift-10'), proven: true }];
    expect(keepActiveStages(root, files, 'w')).toHaveLength(files.length + 1);
    expect(() => keepActiveStages([{ ...root[0], text: record('03-finalize') }], files, 'w')).toThrow(/no folder 03-finalize \(its stages: 01-side-by-side, 02-shift-10\)/);
  });
});
