/**
 * Markdown for READMEs built from text that may hold anything (names read from manifests, library users' text):
 * the text shows literally and can never add structure (a heading, a fence, a list, a table cell, a link, HTML).
 * Pure.
 */

/** Every line break CommonMark knows, and the Unicode separators some renderers treat as one. */
const LINE_BREAK = /\r\n|[\n\r\u2028\u2029\u000b\u000c\u0085]/g;
/** Control characters other than line breaks; NUL included (CommonMark would turn it into U+FFFD anyway). */
const CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f]/g;
/** Characters that are escaped wherever they appear outside a code span. */
const ALWAYS_ESCAPED = new Set(['\\', '`', '*', '[', ']', '<', '~', '|', '#', '$', '&']);
const WORD_CHAR = /[\p{L}\p{N}]/u;

/** The lines of `text`, whatever its line breaks, with tabs as spaces and other control characters removed. */
export function textLines(text: string): string[] {
  return String(text).replace(CONTROL, '').replace(/\t/g, ' ').split(LINE_BREAK);
}

function backtickRun(text: string, at: number): number {
  let n = 0;
  while (text[at + n] === '`') n++;
  return n;
}

/** Index of the next run of exactly `n` backticks at or after `from`, or -1. */
function closingRun(text: string, from: number, n: number): number {
  let i = from;
  while (i < text.length) {
    if (text[i] !== '`') {
      i++;
      continue;
    }
    const run = backtickRun(text, i);
    if (run === n) return i;
    i += run;
  }
  return -1;
}

/**
 * Code span content for a GFM table cell: every pipe preceded by an odd number of backslashes. GFM splits a row at
 * each pipe not escaped by a backslash before it reads code spans (`\\` escapes the backslash, not the pipe), and
 * drops the backslash of `\|`, so the pipe shows and the cell stays one.
 */
function tablePipes(code: string): string {
  return code.replace(/\\*\|/g, (run) => ((run.length - 1) % 2 === 0 ? `\\${run}` : run));
}

/**
 * `text` as one line of Markdown inline content that reads as the text itself: line breaks become spaces;
 * backslashes, `*`, `[`, `]`, `<`, `~`, `|`, `#`, `$`, `&` and `_` at a word boundary are backslash-escaped; a
 * leading `-`, `+`, `=`, `>` or `1.` cannot start a list, a quote or a heading underline. Text between
 * matching backticks stays a code span (library texts mark commands that way; a code span shows its content
 * literally, so no text inside it adds structure), and a backtick without a match is escaped. With `table`, pipes
 * inside code spans are escaped too (GFM splits cells before it reads code spans), so the text stays one cell.
 */
export function markdownText(text: string, table = false): string {
  const flat = textLines(text).join(' ').replace(/ {2,}/g, ' ').trim();
  let out = '';
  let i = 0;
  while (i < flat.length) {
    const c = flat[i];
    if (c === '`') {
      const n = backtickRun(flat, i);
      const close = closingRun(flat, i + n, n);
      if (close < 0) {
        out += '\\`'.repeat(n);
        i += n;
        continue;
      }
      const span = flat.slice(i, close + n);
      out += table ? tablePipes(span) : span;
      i = close + n;
      continue;
    }
    if (ALWAYS_ESCAPED.has(c)) {
      out += `\\${c}`;
    } else if (c === '_' && !(WORD_CHAR.test(flat[i - 1] ?? '') && WORD_CHAR.test(flat[i + 1] ?? ''))) {
      out += '\\_';
    } else {
      out += c;
    }
    i++;
  }
  // What could start a block at the beginning of a line: a list item, a block quote, a setext underline.
  return out.replace(/^([-+=>])/, '\\$1').replace(/^(\d{1,9})([.)])/, '$1\\$2');
}

/**
 * Plain text as the lines of one Markdown paragraph: each line of the text escaped with markdownText, empty lines
 * dropped, every line but the last ending in a hard break, so the text keeps its line breaks but can never leave
 * its paragraph. Indent the lines after the first as the container (list item, quote) needs.
 */
export function markdownParagraph(text: string): string[] {
  const lines = textLines(text).map((l) => markdownText(l)).filter((l) => l !== '');
  return lines.map((l, i) => (i < lines.length - 1 ? `${l}\\` : l));
}

/**
 * An inline code span that shows `text` literally on one line: the delimiter is one backtick longer than the
 * longest run of backticks inside, with spaces where the text starts or ends with a backtick. With `table`,
 * pipes are escaped so the span stays in its cell.
 */
export function markdownCode(text: string, table = false): string {
  let body = textLines(text).join(' ');
  if (body === '') body = ' ';
  let longest = 0;
  for (const run of body.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = body.startsWith('`') || body.endsWith('`') || (body.startsWith(' ') && body.endsWith(' ') && body.trim() !== '') ? ' ' : '';
  const inner = table ? tablePipes(body) : body;
  return `${fence}${pad}${inner}${pad}${fence}`;
}

/**
 * A fenced code block holding `content` literally, as lines: the fence is longer than any run of backticks in the
 * content, so no line of it can close the block; every line break of the content becomes a line.
 *
 * @param content the code, e.g. shell commands
 * @param info the info string (language), e.g. `bash`
 */
export function markdownFence(content: string, info = ''): string[] {
  // Only CommonMark's line endings end a line of a code block; other separators are shown as they are.
  const lines = String(content).split(/\r\n|\r|\n/);
  let longest = 2;
  for (const line of lines) for (const run of line.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${info}`, ...lines, fence];
}
