/**
 * Reading the project's own documentation in the tests: README.md and every page under docs/, their fenced
 * code blocks, their sections and the anchors GitHub gives their headings.
 */
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');

/** README.md and every Markdown page under docs/, as paths relative to the project root, sorted. */
export function documentationFiles(): string[] {
  const docs = fs.existsSync(path.join(ROOT, 'docs'))
    ? fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)
    : [];
  return ['README.md', ...docs];
}

/** The text of a documentation file (path relative to the project root). */
export function readDoc(file: string): string {
  return fs.readFileSync(path.join(ROOT, file), 'utf8');
}

/** A fenced code block: its info string's first word, its text and the line its fence opens on (1-based). */
export interface CodeBlock {
  readonly lang: string;
  readonly code: string;
  readonly line: number;
}

/**
 * The fenced code blocks of a Markdown text, outermost only: a block fenced with four backticks keeps the
 * three-backtick blocks inside it as its text, as CommonMark does.
 */
export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s{0,3})(`{3,}|~{3,})\s*([^`\s]*)/.exec(lines[i]);
    if (!open) continue;
    const fence = open[2];
    const end = lines.findIndex((l, j) => j > i && new RegExp(`^\\s{0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`).test(l));
    const close = end === -1 ? lines.length : end;
    blocks.push({ lang: open[3], code: lines.slice(i + 1, close).join('\n'), line: i + 1 });
    i = close;
  }
  return blocks;
}

/** The text of the section under the heading `heading` (any level), up to the next heading of that level or higher. */
export function section(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const outside = outsideFences(lines);
  const start = lines.findIndex((l, i) => outside[i] && /^#+ /.test(l) && l.replace(/^#+ /, '') === heading);
  if (start === -1) throw new Error(`no heading "${heading}"`);
  const level = /^#+/.exec(lines[start])![0].length;
  const end = lines.findIndex((l, i) => i > start && outside[i] && /^#+ /.test(l) && /^#+/.exec(l)![0].length <= level);
  return lines.slice(start + 1, end === -1 ? undefined : end).join('\n');
}

/** For each line, whether it lies outside every fenced code block (fence lines themselves count as inside). */
function outsideFences(lines: string[]): boolean[] {
  const result: boolean[] = [];
  let fence: string | undefined;
  for (const l of lines) {
    const m = /^\s{0,3}(`{3,}|~{3,})/.exec(l);
    if (fence === undefined && m) {
      fence = m[1];
      result.push(false);
    } else if (fence !== undefined) {
      if (m && m[1][0] === fence[0] && m[1].length >= fence.length && l.trim() === m[1]) fence = undefined;
      result.push(false);
    } else {
      result.push(true);
    }
  }
  return result;
}

/**
 * The anchors GitHub gives the headings of a Markdown text: lower case, punctuation other than `-` and `_`
 * removed, spaces as `-`, and `-1`, `-2`, ... appended to repeats.
 */
export function headingAnchors(markdown: string): Set<string> {
  const lines = markdown.split('\n');
  const outside = outsideFences(lines);
  const anchors = new Set<string>();
  const counts = new Map<string, number>();
  lines.forEach((l, i) => {
    if (!outside[i] || !/^#{1,6} /.test(l)) return;
    const slug = l.replace(/^#+ /, '').trim().toLowerCase()
      .replace(/<[^>]*>/g, '')
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/ /g, '-');
    const n = counts.get(slug) ?? 0;
    counts.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  });
  return anchors;
}

/** A link of a Markdown text, outside code: its target and the line it is on (1-based). */
export interface MarkdownLink {
  readonly target: string;
  readonly line: number;
}

/** The inline links `[text](target)` of a Markdown text, outside fenced blocks and code spans. */
export function links(markdown: string): MarkdownLink[] {
  const lines = markdown.split('\n');
  const outside = outsideFences(lines);
  const found: MarkdownLink[] = [];
  lines.forEach((l, i) => {
    if (!outside[i]) return;
    const text = l.replace(/`[^`]*`/g, '``');
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) found.push({ target: m[1], line: i + 1 });
  });
  return found;
}
