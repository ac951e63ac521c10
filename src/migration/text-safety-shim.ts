/**
 * Stand-ins for the Markdown and shell helpers of src/core (markdown.ts, shell.ts) until they land;
 * same names and signatures, so switching is an import change. Pure.
 */

/** An inline code span that shows `text` literally on one line. */
export function markdownCode(text: string): string {
  let body = String(text).replace(/[\r\n]+/g, ' ');
  if (body === '') body = ' ';
  let longest = 0;
  for (const run of body.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** `text` as one line of Markdown inline content that reads as the text itself. */
export function markdownText(text: string): string {
  return String(text).replace(/[\r\n]+/g, ' ').replace(/[\\`*_[\]<>#|~&$]/g, (c) => `\\${c}`).replace(/^([-+=>])/, '\\$1').replace(/^(\d{1,9})([.)])/, '$1\\$2');
}

/** A fenced code block holding `content` literally, as lines. */
export function markdownFence(content: string, info = ''): string[] {
  const lines = String(content).split(/\r\n|\r|\n/);
  let longest = 2;
  for (const line of lines) for (const run of line.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${info}`, ...lines, fence];
}

/** One argument word for a POSIX shell. */
export function shellQuote(value: string): string {
  const text = String(value).replace(/\0/g, '\uFFFD');
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, '\'\\\'\'')}'`;
}
