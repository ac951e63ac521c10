/**
 * One writer per output folder: a lock file next to it, created atomically (a hard link of a complete
 * temporary file, so it is never seen half-written). A lock whose process is gone (same host, and
 * the pid is free, or now belongs to a process started at another time or before a reboot) is stale
 * and taken over; any other lock refuses the second run with a message naming the holder and the file.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OutputError, attempt, codeOf } from './errors';
import { lstatOrUndefined, readRegularFile } from './fs-safe';

/** Whether the process `pid` of this host is gone. */
export function isDeadProcess(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return codeOf(err) === 'ESRCH';
  }
}

/** Who holds a lock. */
interface LockOwner {
  readonly pid: number;
  readonly host: string;
  /** Start time of the process (Linux: clock ticks since boot, from /proc/<pid>/stat). */
  readonly started?: string;
  /** Linux boot id: a pid of another boot is never alive. */
  readonly boot?: string;
  readonly since: string;
  readonly command: string;
}

/**
 * Whether the file `abs` beside a lock, named `<lock>-<suffix>`, is a leftover of a killed run that may
 * be removed: `<pid>` (a lock being made) or `stale-<pid>` (a stale lock being taken over) of a dead
 * process of this host, a regular file whose content is such a lock (or, for `<pid>`, the beginning of
 * one: the kill may have cut it). Anything else is left alone.
 */
export function isLockLeftover(abs: string, display: string, suffix: string): boolean {
  const m = /^(stale-)?(\d{1,10})$/.exec(suffix);
  if (!m || !isDeadProcess(Number(m[2]))) return false;
  let text: string;
  try {
    text = readRegularFile(abs, display, { maxBytes: 64 * 1024 }).toString('utf8');
  } catch {
    return false;
  }
  if (m[1] === undefined) {
    const start = `{"pid":${Number(m[2])},`;
    return start.startsWith(text) || text.startsWith(start);
  }
  const owner = parseOwner(text);
  return owner !== undefined && owner.host === os.hostname();
}

function readProc(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Start time of process `pid` (Linux), undefined elsewhere or when it does not exist. */
function startTimeOf(pid: number): string | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // Field 22; the command (field 2) is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19];
}

function bootId(): string | undefined {
  return readProc('/proc/sys/kernel/random/boot_id')?.trim();
}

function currentOwner(command: string): LockOwner {
  const started = startTimeOf(process.pid);
  const boot = bootId();
  return {
    pid: process.pid,
    host: os.hostname(),
    ...(started !== undefined ? { started } : {}),
    ...(boot !== undefined ? { boot } : {}),
    since: new Date().toISOString(),
    command,
  };
}

/** Whether the holder of a lock still runs: 'dead', 'alive' or 'unknown' (another host). */
function liveness(owner: LockOwner): 'dead' | 'alive' | 'unknown' {
  if (owner.host !== os.hostname()) return 'unknown';
  if (!(owner.pid > 0)) return 'unknown';
  const boot = bootId();
  if (owner.boot !== undefined && boot !== undefined && owner.boot !== boot) return 'dead';
  if (isDeadProcess(owner.pid)) return 'dead';
  const started = startTimeOf(owner.pid);
  if (owner.started !== undefined && started !== undefined && owner.started !== started) return 'dead';
  return 'alive';
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const o = JSON.parse(text);
    return Number.isInteger(o?.pid) && typeof o?.host === 'string' ? o : undefined;
  } catch {
    return undefined;
  }
}

/** A held lock. */
export class OutputLock {
  /**
   * Takes the lock `lockPath` for the folder `label`; throws an OutputError when another live run
   * holds it. `beforeChange` is called before each change to the file system.
   */
  public static acquire(lockPath: string, display: string, label: string, command: string, beforeChange: (what: string) => void): OutputLock {
    const content = `${JSON.stringify(currentOwner(command))}\n`;
    const tmp = `${lockPath}-${process.pid}`;
    for (let attemptNo = 0; attemptNo < 3; attemptNo++) {
      beforeChange(`create ${display}`);
      if (createExclusive(lockPath, tmp, display, content)) return new OutputLock(lockPath, display, content, beforeChange);
      const stat = lstatOrUndefined(lockPath, display);
      if (!stat) continue; // released meanwhile
      if (!stat.isFile()) throw new OutputError(`${display} is ${stat.isSymbolicLink() ? 'a symbolic link' : 'not a file'}: it is where inference-migrate locks ${label}; remove it`);
      const text = readRegularFile(lockPath, display).toString('utf8');
      const owner = parseOwner(text);
      if (!owner) {
        throw new OutputError(`${display} cannot be read: it is where inference-migrate locks ${label}; if no other run of inference-migrate is writing it, remove ${display}`);
      }
      const state = liveness(owner);
      if (state !== 'dead') {
        throw new OutputError(`${label} is being written by another run of inference-migrate (${owner.command}, pid ${owner.pid} on ${owner.host}, since ${owner.since}): `
          + `wait for it to finish${state === 'unknown' ? `; if it no longer runs, remove ${display}` : ''}`);
      }
      takeOver(lockPath, display, text, beforeChange);
    }
    throw new OutputError(`${label}: cannot take the lock ${display}: other runs of inference-migrate keep taking it`);
  }

  private constructor(
    private readonly lockPath: string,
    private readonly display: string,
    private readonly content: string,
    private readonly beforeChange: (what: string) => void,
  ) {}

  /** Releases the lock (when it is still this process's). */
  public release(): void {
    let text: string | undefined;
    try {
      text = readRegularFile(this.lockPath, this.display).toString('utf8');
    } catch {
      return;
    }
    if (text !== this.content) return;
    this.beforeChange(`unlink ${this.display}`);
    attempt(this.display, 'remove the lock', () => fs.rmSync(this.lockPath, { force: true }));
  }
}

/** Creates the lock with its full content in one step; false when it exists. */
function createExclusive(lockPath: string, tmp: string, display: string, content: string): boolean {
  attempt(display, 'create the lock', () => {
    fs.rmSync(tmp, { force: true });
    fs.writeFileSync(tmp, content, { flag: 'wx' });
  });
  try {
    fs.linkSync(tmp, lockPath);
    return true;
  } catch (err) {
    const code = codeOf(err);
    if (code === 'EEXIST') return false;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') {
      // No hard links on this file system: exclusive creation, written at once.
      try {
        fs.writeFileSync(lockPath, content, { flag: 'wx' });
        return true;
      } catch (e) {
        if (codeOf(e) === 'EEXIST') return false;
        return attempt(display, 'create the lock', () => {
          throw e;
        });
      }
    }
    return attempt(display, 'create the lock', () => {
      throw err;
    });
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Removes a stale lock, unless another run replaced it meanwhile: the lock is renamed away first (only
 * one run can do that), and put back when what was renamed is not the stale lock that was read.
 */
function takeOver(lockPath: string, display: string, staleText: string, beforeChange: (what: string) => void): void {
  const aside = `${lockPath}-stale-${process.pid}`;
  beforeChange(`rename ${display}`);
  try {
    fs.renameSync(lockPath, aside);
  } catch (err) {
    if (codeOf(err) === 'ENOENT') return;
    attempt(display, 'take over the stale lock', () => {
      throw err;
    });
  }
  const moved = readProc(aside);
  if (moved !== staleText) {
    try {
      fs.linkSync(aside, lockPath);
    } catch {
      // Someone holds a newer lock: theirs stays, and this run meets it on the next attempt.
    }
  }
  beforeChange(`unlink ${path.basename(aside)}`);
  fs.rmSync(aside, { force: true });
}
