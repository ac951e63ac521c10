/**
 * Mermaid's own parser, run in a child process (Mermaid is an ES module and needs a DOM; see
 * mermaid-parse.mjs), for the tests that check every diagram the library writes.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

/** The outcome of parsing one diagram. */
export interface MermaidResult {
  readonly ok: boolean;
  /** The diagram type Mermaid recognised, e.g. `flowchart-v2`. */
  readonly type?: string;
  readonly error?: string;
}

/** Parses each diagram with Mermaid; one result per diagram, in order. */
export function parseMermaid(diagrams: string[]): MermaidResult[] {
  const script = path.join(__dirname, 'mermaid-parse.mjs');
  const r = spawnSync(process.execPath, [script], { input: JSON.stringify(diagrams), encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`the Mermaid parser did not run (exit ${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** The Mermaid blocks (```mermaid fences) of a Markdown text. */
export function mermaidBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  const re = /^(`{3,})mermaid\n([\s\S]*?)\n\1$/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) blocks.push(m[2]);
  return blocks;
}
