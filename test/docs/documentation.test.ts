/**
 * The documentation as a reader finds it: a README for the first five minutes that links every page of
 * docs/, links and anchors that resolve, and a compatibility table that says what the code says.
 */
import * as fs from 'fs';
import * as path from 'path';
import { documentationFiles, headingAnchors, links, readDoc, ROOT, section } from './markdown';
import { BRIDGE_GIE_RELEASES } from '../../src/convert/gie-versions';
import { GatewayCapabilities } from '../../src/migration/gateway-capabilities';

/** The broken relative links of a documentation file: a missing file, or an anchor its target does not have. */
function brokenLinks(file: string): string[] {
  return links(readDoc(file)).flatMap(({ target, line }) => {
    if (/^[a-z]+:/i.test(target)) return [];
    const [rel, anchor] = target.split('#');
    const targetFile = rel === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), rel));
    const where = `${file}:${line}: ${target}`;
    if (!fs.existsSync(path.join(ROOT, targetFile))) return [`${where}: no file ${targetFile}`];
    if (anchor === undefined || !targetFile.endsWith('.md')) return [];
    return headingAnchors(readDoc(targetFile)).has(anchor) ? [] : [`${where}: no heading #${anchor} in ${targetFile}`];
  });
}

describe('the README', () => {
  const readme = readDoc('README.md');

  test('given the README, then it is short enough to read in five minutes', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(300);
  });

  test('given the README, then it links every page of docs/', () => {
    const linked = new Set(links(readme).map((l) => l.target.split('#')[0]));
    const pages = documentationFiles().filter((f) => f.startsWith('docs/'));
    expect(pages.length).toBeGreaterThanOrEqual(7);
    expect(pages.filter((p) => !linked.has(p))).toEqual([]);
  });

  test('given the compatibility table, then its GIE targets are the bridge releases the library accepts', () => {
    const row = section(readme, 'Compatibility').split('\n').find((l) => l.startsWith('| GIE, to |'));
    expect(row?.split('|')[2].trim()).toBe(BRIDGE_GIE_RELEASES.join(', '));
  });

  test('given the gateway table of docs/gateways.md, then each row is a row of GatewayCapabilities with its strategy', () => {
    const rows = section(readDoc('docs/gateways.md'), 'The table').split('\n').filter((l) => /^\| .*\(`[a-z-]+`/.test(l) && !l.includes('| versions |'));
    const shown = rows.map((l) => {
      const cells = l.split('|').slice(1, -1).map((c) => c.trim());
      return [/`([a-z-]+)`/.exec(cells[0])![1], cells[1], cells[2], cells[3], /`([a-z-]+)`/.exec(cells[4])![1]];
    });
    const all = GatewayCapabilities.all();
    const specific = new Set(all.filter((r) => r.versions !== 'any').map((r) => r.implementation));
    const expected = all.map((r) => [
      r.implementation,
      r.versions === 'any' && specific.has(r.implementation) ? 'other or unknown' : r.versions,
      r.servesBothGroups, r.weightedAlphaAndGa, r.workingStrategy,
    ]);
    expect(shown).toEqual(expected);
  });

  test('given the README\'s gateway table, then it has one row per implementation of GatewayCapabilities, with its versions and strategy', () => {
    const shown = section(readme, 'Compatibility').split('\n').filter((l) => /^\| .*\(`[a-z-]+`\) \|/.test(l) && !l.startsWith('| gateway (')).map((l) => {
      const cells = l.split('|').slice(1, -1).map((c) => c.trim());
      return [/\(`([a-z-]+)`\)/.exec(cells[0])![1], cells[1], cells[2], cells[3]];
    });
    const byImplementation = new Map<string, ReturnType<typeof GatewayCapabilities.all>>();
    for (const r of GatewayCapabilities.all()) byImplementation.set(r.implementation, [...(byImplementation.get(r.implementation) ?? []), r]);
    const joined = (values: string[]) => [...new Set(values)].join(' / ');
    const expected = [...byImplementation].map(([implementation, rows]) => {
      const versions = rows.map((r) => r.versions).filter((v) => v !== 'any');
      return [implementation, versions.length > 0 ? versions.join(', ') : 'any', joined(rows.map((r) => r.servesBothGroups)), joined(rows.map((r) => `\`${r.workingStrategy}\``))];
    });
    expect(shown).toEqual(expected);
  });
});

describe('the documentation', () => {
  test.each(documentationFiles())('given %s, then every relative link and anchor resolves', (file) => {
    expect(brokenLinks(file)).toEqual([]);
  });

  test('given a link to a heading that is not there, then the check reports it with its line', () => {
    const file = 'docs/cli.md';
    const anchors = headingAnchors(readDoc(file));
    expect(anchors.has('exit-codes')).toBe(true);
    expect(anchors.has('exit-code')).toBe(false);
    expect(links('a\n[x](cli.md#exit-code) and `[y](not-a-link.md)`\n')).toEqual([{ target: 'cli.md#exit-code', line: 2 }]);
  });
});
