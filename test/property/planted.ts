/**
 * A generator of what a pull request can plant beside an output folder and inside it: a journal (valid
 * or not, with paths that try to leave its folder, run ids and folder identities that match or not),
 * the `.<out>.inference-migrate-old/-new` folders (real, links to a folder outside, or holding links),
 * markers (current, of earlier releases, empty, listing files with right or wrong sha256, a plan.json
 * naming files), a half-written journal and lock leftovers. `materialize` lays a scenario out in a
 * repository that holds the output `out`, hand-written files in it, and `outside/` with files nobody may
 * touch; an attacker who knows inode numbers is one of the scenarios.
 */
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { LEGACY_CLI_MARKER, LEGACY_WRITER_MARKER, OUTPUT_MARKER, sideName } from '../../src/output';

/** Files in `outside/` of every scenario: what must never change. */
export const OUTSIDE: { readonly [file: string]: string } = { 'victim.txt': 'victim\n', 'secret.env': 'TOKEN=s3cr3t\n', 'sub/deep.yaml': 'deep: 1\n' };
/** Hand-written files in `out` of every scenario: never proven to be the tool's, so they must stay as they are. */
export const USER_FILES: { readonly [file: string]: string } = { 'NOTES.md': 'mine\n', 'm/01-a/mine.yaml': 'mine: 1\n', 'README.md': 'hand-written readme\n' };
/** Files the tool wrote into `out` (listed with their sha256 in the marker). */
const TOOL_FILES: { readonly [file: string]: string } = { 'm/01-a/x.yaml': 'x: 1\n', 'm/plan.json': '{}\n' };

const sha = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/** `value` most of the time (`weight` to 1), else something from `rest`. */
function mostly<T>(value: T, weight: number, ...rest: T[]): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: fc.constant(value), weight }, { arbitrary: fc.constantFrom(value, ...rest), weight: 1 });
}

/** `arb`, or (with the given weight against 1) nothing. */
function sometimes<T>(arb: fc.Arbitrary<T>, absentWeight: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: absentWeight }, { arbitrary: arb, weight: 1 });
}

/** A path a journal or marker may name: mostly one that leaves its folder, else relative, absolute, through a planted link, or odd. */
const plantedPath = fc.oneof(
  { arbitrary: fc.constantFrom('../outside/victim.txt', '../../outside/secret.env', 'm/../../outside/victim.txt', 'link/victim.txt', 'link', 'victim.txt', 'secret.env'), weight: 3 },
  { arbitrary: fc.constantFrom('m/01-a/x.yaml', 'NOTES.md', 'README.md', 'm/01-a/mine.yaml', 'm', 'm/01-a/victim.txt'), weight: 2 },
  { arbitrary: fc.constantFrom('/etc/passwd', './NOTES.md', 'a//b', '', '.', '..', 'a\\..\\b'), weight: 1 },
  { arbitrary: fc.string({ unit: fc.constantFrom('a', '/', '.', '-', '\u0000', '\u001b'), maxLength: 12 }), weight: 1 },
);

/** A sha256 that mostly matches what a path may name (the victim's above all), or not. */
const plantedSha = fc.oneof(
  { arbitrary: fc.constant(sha('victim\n')), weight: 3 },
  { arbitrary: fc.constantFrom(sha('TOKEN=s3cr3t\n'), sha('mine\n'), sha('x: 1\n'), sha('hand-written readme\n'), 'z'.repeat(64), '', undefined), weight: 2 },
);

/** What a side folder (`old` or `new`) is. */
type Side = 'absent' | 'folder' | 'link-to-outside' | 'folder-with-links' | 'file' | 'empty-folder';
const side: fc.Arbitrary<Side> = mostly<Side>('absent', 3, 'folder', 'link-to-outside', 'folder-with-links', 'file', 'empty-folder');

/** What the marker of `out` is. */
type Marker = 'current' | 'current-wrong-sha' | 'legacy-cli' | 'legacy-writer' | 'legacy-writer-other-text' | 'empty' | 'garbage' | 'listing-user-files-without-sha';

/** One planted scenario. */
export interface Planted {
  readonly journal?: {
    readonly tool: unknown;
    readonly step: unknown;
    readonly run?: unknown;
    /** Put the real device and inode numbers of the planted folders in (an attacker who knows them). */
    readonly knowsInodes: boolean;
    readonly remove: Array<{ path: string; sha256?: string }>;
    readonly keep: string[];
    /** The run id file written into a planted `new` folder. */
    readonly runIdInNew: boolean;
  };
  readonly journalTmp?: string;
  readonly old: Side;
  readonly fresh: Side;
  readonly marker: Marker;
  /** A link inside `out` to `outside/` (the tool must refuse, never follow it). */
  readonly linkInOut: boolean;
  /** A lock leftover of a dead pid with this content. */
  readonly lockLeftover?: string;
  /** What stands at `out/m/active-stage.json`, where promote records the active stage. */
  readonly record?: PlantedRecord;
}

/** What a pull request can put where promote records the active stage. */
export type PlantedRecord = 'garbage' | 'secret-text' | 'fifo' | 'link-to-outside' | 'hard-link-to-outside' | 'folder' | 'record-with-dotdot';

export const planted: fc.Arbitrary<Planted> = fc.record({
  journal: sometimes(fc.record({
    tool: mostly<unknown>('inference-migrate', 6, 'other', 5),
    step: mostly<unknown>('swap', 3, 'prepare', 'nonsense'),
    run: mostly<unknown>('a'.repeat(32), 3, '0123456789abcdef0123456789abcdef', 'short', undefined),
    knowsInodes: fc.boolean(),
    remove: fc.array(fc.record({ path: plantedPath, sha256: plantedSha }, { requiredKeys: ['path'] }), { maxLength: 4 }),
    keep: fc.array(plantedPath, { maxLength: 3 }),
    runIdInNew: fc.boolean(),
  }), 1),
  journalTmp: sometimes(fc.constantFrom('', '{"tool":"inference-migrate","st', 'my own file\n'), 4),
  old: side,
  fresh: side,
  marker: mostly<Marker>('current', 2, 'current-wrong-sha', 'legacy-cli', 'legacy-writer', 'legacy-writer-other-text', 'empty', 'garbage', 'listing-user-files-without-sha'),
  linkInOut: mostly(false, 3, true),
  lockLeftover: sometimes(fc.constantFrom('', '{"pid":999999,', 'keep me\n'), 4),
  record: sometimes(fc.constantFrom<PlantedRecord>('garbage', 'secret-text', 'fifo', 'link-to-outside', 'hard-link-to-outside', 'folder', 'record-with-dotdot'), 2),
}, { requiredKeys: ['old', 'fresh', 'marker', 'linkInOut'] });

function writeTree(dir: string, files: { readonly [file: string]: string }): void {
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
}

function markerText(marker: Marker): { name: string; text: string } {
  const listed = (files: { [f: string]: string }, wrong = false) => Object.entries(files).map(([p, t]) => ({ path: p, sha256: wrong ? sha(`${t}!`) : sha(t) }));
  switch (marker) {
    case 'current': return { name: OUTPUT_MARKER, text: JSON.stringify({ tool: 'inference-migrate', files: listed(TOOL_FILES) }) };
    case 'current-wrong-sha': return { name: OUTPUT_MARKER, text: JSON.stringify({ tool: 'inference-migrate', files: listed({ ...TOOL_FILES, ...USER_FILES }, true) }) };
    case 'legacy-cli': return { name: LEGACY_CLI_MARKER, text: JSON.stringify({ files: listed(TOOL_FILES) }) };
    case 'legacy-writer': return { name: LEGACY_WRITER_MARKER, text: 'Written by cdk8s-inference-migration; the folder is replaced on the next write.\n' };
    case 'legacy-writer-other-text': return { name: LEGACY_WRITER_MARKER, text: 'something else\n' };
    case 'empty': return { name: OUTPUT_MARKER, text: '' };
    case 'garbage': return { name: OUTPUT_MARKER, text: '{"files": [{"path": "../outside/victim.txt", "sha256": "x"}]}' };
    case 'listing-user-files-without-sha': return { name: LEGACY_WRITER_MARKER, text: '' };
  }
}

/** Lays `p` out under `repo`: `repo/out` (the output), `repo/outside` and what is planted beside and inside `out`. */
export function materialize(repo: string, p: Planted): { out: string; outside: string } {
  const out = path.join(repo, 'out');
  const outside = path.join(repo, 'outside');
  writeTree(outside, OUTSIDE);
  writeTree(out, { ...TOOL_FILES, ...USER_FILES });
  const marker = markerText(p.marker);
  fs.writeFileSync(path.join(out, marker.name), marker.text);
  // A plan.json of an earlier GitOpsWriter naming the user's files.
  if (p.marker.startsWith('legacy-writer') || p.marker === 'listing-user-files-without-sha') {
    fs.writeFileSync(path.join(out, 'plan.json'), JSON.stringify({ stages: [{ folder: 'm/01-a', objects: [{ file: 'mine.yaml' }] }] }));
  }
  if (p.linkInOut) fs.symlinkSync(outside, path.join(out, 'link'));

  const sidePath = (role: string) => path.join(repo, sideName('out', role));
  layOutSide(sidePath('old'), p.old, outside);
  layOutSide(sidePath('new'), p.fresh, outside);
  if (p.journal) {
    const j = p.journal;
    const identity = (abs: string) => {
      try {
        const st = fs.lstatSync(abs, { bigint: true });
        return { dev: String(st.dev), ino: String(st.ino) };
      } catch {
        return { dev: '1', ino: '2' };
      }
    };
    if (j.runIdInNew && p.fresh === 'folder') fs.writeFileSync(path.join(sidePath('new'), '.inference-migrate-run'), `${String(j.run)}\n`);
    const journal = {
      tool: j.tool,
      step: j.step,
      ...(j.run !== undefined ? { run: j.run } : {}),
      ...(j.knowsInodes ? { fresh: identity(sidePath('new')), target: identity(sidePath('old')) } : { fresh: { dev: '1', ino: '2' } }),
      remove: j.remove,
      keep: j.keep,
    };
    fs.writeFileSync(sidePath('journal.json'), JSON.stringify(journal));
  }
  if (p.journalTmp !== undefined) fs.writeFileSync(sidePath('journal.tmp'), p.journalTmp);
  if (p.lockLeftover !== undefined) fs.writeFileSync(`${sidePath('lock')}-999999`, p.lockLeftover);
  if (p.record !== undefined) layOutRecord(path.join(out, 'm', 'active-stage.json'), p.record, outside);
  return { out, outside };
}

function layOutRecord(abs: string, kind: PlantedRecord, outside: string): void {
  switch (kind) {
    case 'garbage': return fs.writeFileSync(abs, '{"tool": "inference-migrate", ');
    case 'secret-text': return fs.writeFileSync(abs, OUTSIDE['secret.env']);
    case 'fifo': return void spawnSync('mkfifo', [abs]);
    case 'link-to-outside': return fs.symlinkSync(path.join(outside, 'victim.txt'), abs);
    case 'hard-link-to-outside': return fs.linkSync(path.join(outside, 'victim.txt'), abs);
    case 'folder': return fs.mkdirSync(abs);
    case 'record-with-dotdot': return fs.writeFileSync(abs, JSON.stringify({
      tool: 'inference-migrate', migration: 'm', activeStage: '../outside', stageName: 'x', promotedFrom: '01-a', gitopsObject: 'Application a/b', file: 'app.yaml',
    }));
  }
}

function layOutSide(abs: string, kind: Side, outside: string): void {
  switch (kind) {
    case 'absent': return;
    case 'folder':
      writeTree(abs, { 'm/01-a/x.yaml': 'x: 1\n', 'victim.txt': 'victim\n', 'NOTES.md': 'planted\n' });
      return;
    case 'empty-folder':
      fs.mkdirSync(abs);
      return;
    case 'link-to-outside':
      fs.symlinkSync(outside, abs);
      return;
    case 'folder-with-links':
      fs.mkdirSync(path.join(abs, 'm'), { recursive: true });
      fs.symlinkSync(outside, path.join(abs, 'm', '01-a'));
      fs.symlinkSync(path.join(outside, 'secret.env'), path.join(abs, 'secret.env'));
      fs.symlinkSync(outside, path.join(abs, 'link'));
      return;
    case 'file':
      fs.writeFileSync(abs, 'a file where a folder was expected\n');
  }
}

/** Every entry under `dir`: files with their content, links as `-> target`, folders with `/`. */
export function entries(dir: string, rel = ''): { [f: string]: string } {
  const out: { [f: string]: string } = {};
  let names: string[];
  try {
    names = fs.readdirSync(path.join(dir, rel)).sort();
  } catch {
    return out;
  }
  for (const name of names) {
    const r = rel === '' ? name : `${rel}/${name}`;
    const st = fs.lstatSync(path.join(dir, r));
    if (st.isSymbolicLink()) out[r] = `-> ${fs.readlinkSync(path.join(dir, r))}`;
    else if (st.isDirectory()) Object.assign(out, { [`${r}/`]: '' }, entries(dir, r));
    else out[r] = fs.readFileSync(path.join(dir, r), 'utf8');
  }
  return out;
}
