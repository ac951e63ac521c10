// Parses Mermaid diagrams with Mermaid's own parser, as GitHub and GitLab would before rendering them.
// Mermaid is an ES module that needs a DOM (DOMPurify) in Node: jsdom provides it. Reads a JSON list of
// diagram texts on stdin; prints a JSON list of results: { ok: true, type } or { ok: false, error }.
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });

let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const text of JSON.parse(input)) {
  try {
    const parsed = await mermaid.parse(text);
    results.push({ ok: true, type: parsed.diagramType });
  } catch (err) {
    results.push({ ok: false, error: String(err && err.message ? err.message : err) });
  }
}
process.stdout.write(JSON.stringify(results));
