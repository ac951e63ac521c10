/**
 * Read-only path helpers of the output module: real paths (to compare `--out` with `--from`) and the
 * path of a folder inside its Git repository (for the example Argo CD and Flux manifests).
 */
import * as fs from 'fs';
import * as path from 'path';

/** The real path of `p`, also when its last parts do not exist yet. */
export function realPathOf(p: string): string {
  const abs = path.resolve(p);
  const missing: string[] = [];
  let existing = abs;
  while (!fs.existsSync(existing)) {
    const parent = path.dirname(existing);
    if (parent === existing) break;
    missing.unshift(path.basename(existing));
    existing = parent;
  }
  return path.join(fs.realpathSync(existing), ...missing);
}

/** Whether `child` is `parent` or inside it (paths compared as given). */
export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Path of `p` relative to the root of the Git repository that holds it (found by looking for `.git`
 * above it), with `/` separators; undefined when it is in no repository.
 */
export function gitRelativePath(p: string): string | undefined {
  const abs = realPathOf(p);
  let dir = abs;
  for (;;) {
    if (fs.existsSync(path.join(dir, '.git'))) return path.relative(dir, abs).split(path.sep).join('/') || '.';
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Path of `out` inside its Git repository (for the example Argo CD and Flux manifests); `out` as given
 * when it is relative and no repository is found, else `.`.
 */
export function repoPathOf(out: string): string {
  return gitRelativePath(out) ?? (path.isAbsolute(out) ? '.' : path.normalize(out).split(path.sep).join('/'));
}
