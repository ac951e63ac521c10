/**
 * Reads READMEs as a user does: rendered by a CommonMark parser, and their shell blocks pasted into bash, with
 * kubectl, helm and the other tools they call replaced by stubs that only record their arguments.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// The CommonMark reference parser, a dependency of jsii-pacmak and jsii-rosetta (so always installed here).
// eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
const commonmark = require('commonmark');

/** What a README renders to, as far as these tests care. */
export interface RenderedReadme {
  /** Every heading, as `<level> <text>`. */
  readonly headings: string[];
  /** The literal text of every code block. */
  readonly codeBlocks: string[];
  /** The types of nodes the renderer never writes (raw HTML, links other than its own, images). */
  readonly html: string[];
}

/** Renders Markdown with the CommonMark reference parser. */
export function renderReadme(markdown: string): RenderedReadme {
  const walker = new commonmark.Parser().parse(markdown).walker();
  const headings: string[] = [];
  const codeBlocks: string[] = [];
  const html: string[] = [];
  let event;
  while ((event = walker.next())) {
    if (!event.entering) continue;
    const node = event.node;
    if (node.type === 'heading') {
      let text = '';
      const inner = node.walker();
      let e;
      while ((e = inner.next())) if (e.entering && e.node.literal) text += e.node.literal;
      headings.push(`${node.level} ${text}`);
    } else if (node.type === 'code_block') {
      codeBlocks.push(node.literal);
    } else if (node.type === 'html_block' || node.type === 'html_inline' || node.type === 'image') {
      html.push(node.literal ?? node.type);
    }
  }
  return { headings, codeBlocks, html };
}

/** The headings the README renderer writes (title aside): nothing from input may add one. */
export const README_SECTIONS = [
  'What changes since', 'Files', 'Before you sync', 'Sync', 'Right after you sync', 'Verify', 'Roll back', 'After you verify',
  'Preflight', 'Stages', 'How to promote', 'CRDs', 'Notes', 'For machines', 'Warnings', 'Models',
];

/** One call of a stubbed tool: its name and arguments. */
export type ToolCall = string[];

const TOOLS = ['kubectl', 'helm', 'curl', 'minikube', 'argocd'];

/**
 * Runs shell code with bash in a fresh directory, with the tools of the READMEs stubbed; returns the calls they got
 * and the files the code left in the directory.
 */
export function runCommands(code: string): { calls: ToolCall[]; files: string[]; status: number | null } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-run-'));
  try {
    const bin = path.join(dir, '.bin');
    fs.mkdirSync(bin);
    const log = path.join(bin, 'calls');
    for (const tool of TOOLS) {
      fs.writeFileSync(path.join(bin, tool), `#!/bin/sh\nprintf '%s\\0' "$(basename "$0")" "$@" >> '${log}'\nprintf '\\036' >> '${log}'\n`, { mode: 0o755 });
    }
    const r = spawnSync('bash', ['-c', code], {
      cwd: dir,
      env: { PATH: `${bin}:${process.env.PATH}`, HOME: dir },
      encoding: 'utf8',
      timeout: 20_000,
    });
    const calls = fs.existsSync(log)
      ? fs.readFileSync(log, 'utf8').split('\u001e').filter((c) => c !== '').map((c) => c.split('\0').slice(0, -1))
      : [];
    const files = fs.readdirSync(dir).filter((f) => f !== '.bin');
    return { calls, files, status: r.status };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Every README.md under `dir`, by path relative to it. */
export function readmesUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name === 'README.md') out.set(path.relative(dir, p), fs.readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

/**
 * Checks that every README renders only the renderer's own headings (one title, then known sections) and no HTML,
 * and that pasting all its code blocks into bash leaves no file named `pwned*`; returns the tool calls made.
 */
export function expectReadmesSafe(readmes: Map<string, string>): ToolCall[] {
  const calls: ToolCall[] = [];
  for (const [file, text] of readmes) {
    const rendered = renderReadme(text);
    const [title, ...sections] = rendered.headings;
    expect({ file, title: title.slice(0, 2) }).toEqual({ file, title: '1 ' });
    expect({ file, foreign: sections.filter((h) => !README_SECTIONS.some((s) => h.startsWith(`2 ${s}`))) }).toEqual({ file, foreign: [] });
    expect({ file, html: rendered.html }).toEqual({ file, html: [] });
    const run = runCommands(rendered.codeBlocks.join('\n'));
    expect({ file, left: run.files.filter((f) => f.startsWith('pwned')) }).toEqual({ file, left: [] });
    calls.push(...run.calls);
  }
  return calls;
}
