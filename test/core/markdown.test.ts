import * as fc from 'fast-check';
import { hostileText } from './hostile-text';
import { markdownCode, markdownFence, markdownParagraph, markdownText, textLines } from '../../src/core/markdown';
import { fcOptions } from '../property/arbitraries';

// The CommonMark reference parser, a dependency of jsii-pacmak and jsii-rosetta (so always installed here).
// eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
const commonmark = require('commonmark');

interface MdNode {
  readonly type: string;
  readonly literal: string | null;
  readonly level: number;
}

/** The nodes of a Markdown document, in document order (entering only). */
export function markdownNodes(markdown: string): MdNode[] {
  const walker = new commonmark.Parser().parse(markdown).walker();
  const nodes: MdNode[] = [];
  let event;
  while ((event = walker.next())) if (event.entering) nodes.push(event.node);
  return nodes;
}

/** Node types that would mean the text added structure or markup of its own. */
const STRUCTURE = ['heading', 'code_block', 'html_block', 'html_inline', 'thematic_break', 'block_quote', 'link', 'image', 'emph', 'strong'];

/** Inline text that leans on what Markdown treats specially. */
const inline: fc.Arbitrary<string> = fc.array(
  fc.oneof(
    fc.constantFrom('```', '~~~', '#', '|', '\\', '`', '``', '<b>', '<!--', '<script>', '](http://x)', '[a]', '![i](x)', '*a*', '_a_', '**',
      '&amp;', '&#35;', '$x$', '~x~', 'http://x.y', '\t', '\u2028', '  '),
    hostileText,
  ),
  { maxLength: 6 },
).map((parts) => parts.join(''));

/** Lines that start the way Markdown blocks do (headings, fences, quotes, lists, HTML), with any line endings. */
const markdownish: fc.Arbitrary<string> = fc.array(
  fc.tuple(
    fc.constantFrom('', '', '```', '````', '~~~', '# ', '###### ', '> ', '- ', '+ ', '* ', '1. ', '2) ', '    ', '   ```', '---', '===', '<div>', '<!--', '| a |'),
    inline,
    fc.constantFrom('\n', '\r', '\r\n', '\n\n'),
  ).map(([start, text, end]) => `${start}${text}${end}`),
  { maxLength: 6 },
).map((lines) => lines.join(''));

/** What markdownText keeps of a text: one line, without control characters, single spaces, trimmed. */
function flattened(text: string): string {
  return textLines(text).join(' ').replace(/ {2,}/g, ' ').trim();
}

describe('markdownText', () => {
  test.each([
    ['# Pwned', '\\# Pwned'],
    ['- item', '\\- item'],
    ['1. first', '1\\. first'],
    ['a | b', 'a \\| b'],
    ['x\n```\n# Pwned', 'x \\`\\`\\` \\# Pwned'],
    ['run `kubectl get svc` first', 'run `kubectl get svc` first'],
    ['<img src=x>', '\\<img src=x>'],
    ['inference_pool_ready_pods and _x_', 'inference_pool_ready_pods and \\_x\\_'],
  ])('given %p, then it is written as %p', (text, escaped) => {
    expect(markdownText(text)).toBe(escaped);
  });

  test('given a code span in a table cell, then its pipes are escaped so the cell stays one', () => {
    expect(markdownText('use `a|b`', true)).toBe('use `a\\|b`');
  });

  test('property: in a list item, escaped text is one paragraph of text and code spans, and reads as the text', () => {
    fc.assert(fc.property(markdownish, (text) => {
      const nodes = markdownNodes(`1. ${markdownText(text)}\n`);
      expect(nodes.filter((n) => STRUCTURE.includes(n.type) || n.type === 'list').map((n) => n.type)).toEqual(['list']);
      expect(nodes.filter((n) => n.type === 'paragraph').length).toBeLessThanOrEqual(1);
      if (!text.includes('`')) {
        const shown = nodes.filter((n) => n.type === 'text').map((n) => n.literal).join('');
        expect(shown).toBe(flattened(text));
      }
    }), fcOptions);
  });

  test('property: as a heading, escaped text is one heading of level 1 and nothing else', () => {
    fc.assert(fc.property(markdownish, (text) => {
      const nodes = markdownNodes(`# ${markdownText(text)}\n\nafter\n`);
      expect(nodes.filter((n) => STRUCTURE.includes(n.type)).map((n) => `${n.type}${n.level ?? ''}`)).toEqual(['heading1']);
    }), fcOptions);
  });

  test('property: in a table row, escaped text and code never add an unescaped pipe (GFM splits cells on them)', () => {
    const unescapedPipes = (row: string) => (row.match(/(?<!\\)(?:\\\\)*\|/g) ?? []).length;
    fc.assert(fc.property(markdownish, (text) => {
      expect(unescapedPipes(`| ${markdownText(text, true)} | ${markdownCode(text, true)} |`)).toBe(3);
    }), fcOptions);
  });
});

describe('markdownParagraph', () => {
  test('property: the lines of any text stay in their list item, as text and line breaks only', () => {
    fc.assert(fc.property(markdownish, (text) => {
      const lines = markdownParagraph(text);
      const nodes = markdownNodes(`1. ${lines.join('\n   ')}\n\nafter\n`);
      expect(nodes.filter((n) => STRUCTURE.includes(n.type) || n.type === 'list').map((n) => n.type)).toEqual(['list']);
      expect(nodes.filter((n) => n.type === 'paragraph')).toHaveLength(lines.length === 0 ? 1 : 2);
    }), fcOptions);
  });
});

describe('markdownCode', () => {
  test('property: any text is one code span showing the text on one line', () => {
    fc.assert(fc.property(markdownish, (text) => {
      const nodes = markdownNodes(`see ${markdownCode(text)} here\n`);
      const codes = nodes.filter((n) => n.type === 'code');
      expect(codes).toHaveLength(1);
      const body = textLines(text).join(' ');
      expect(codes[0].literal).toBe(body === '' ? ' ' : body);
      expect(nodes.filter((n) => STRUCTURE.includes(n.type))).toEqual([]);
    }), fcOptions);
  });
});

describe('markdownFence', () => {
  test('given a command that holds a fence, then the block is fenced longer and holds the command', () => {
    expect(markdownFence('echo ```\n```\n# x', 'bash')).toEqual(['````bash', 'echo ```', '```', '# x', '````']);
  });

  test('property: indented in a list item, any text is one code block holding exactly the text', () => {
    fc.assert(fc.property(markdownish, (text) => {
      const block = markdownFence(text, 'bash').map((l) => (l === '' ? l : `   ${l}`));
      const nodes = markdownNodes(`1. step\n\n${block.join('\n')}\n\n## After\n`);
      const blocks = nodes.filter((n) => n.type === 'code_block');
      expect(blocks).toHaveLength(1);
      // Every line ending of the text is a line of the block (CommonMark shows NUL as U+FFFD, and lines of
      // whitespace in a list item as empty lines).
      const lines = text.replace(/\0/g, '\uFFFD').split(/\r\n|\r|\n/).map((l) => (/^[ \t]*$/.test(l) ? '' : l));
      expect(blocks[0].literal).toBe(`${lines.join('\n')}\n`);
      expect(nodes.filter((n) => n.type === 'heading').map((n) => n.level)).toEqual([2]);
    }), fcOptions);
  });
});
