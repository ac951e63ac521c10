/**
 * The per-model table of an InferencePool migration: for each model name, what the alpha InferenceModel did and
 * what the GA stack does with it, what clients must send, what is kept and what is not. One row per model name, and
 * one for the models no InferenceModel names. Rendered into the top README, the first GA stage's README and
 * plan.json. Model names are user text: escaped for Markdown tables here.
 */
import { ModelMapping } from './model-mapping';
import { markdownCode, markdownText } from '../core/markdown';

function cell(text: string | undefined): string {
  return text === undefined || text === '' ? '–' : markdownText(text, true);
}

function code(text: string | undefined): string {
  return text === undefined || text === '' ? '–' : markdownCode(text, true);
}

/** The table as Markdown lines, with a heading and a sentence on how to read it; none for no rows. */
export function modelTableLines(models: readonly ModelMapping[], heading = '##'): string[] {
  if (models.length === 0) return [];
  const lines = [
    `${heading} Models`,
    '',
    'What each model name did on the alpha pool and what the GA pool does with it. A v1 Endpoint Picker takes a request\'s objective (its priority) only from the `x-gateway-inference-objective` header and sheds only negative priorities under saturation; a request without the header has priority 0 and is never shed. No HTTPRoute filter can set that header for the Endpoint Picker (on Envoy-based gateways route header changes apply after the ext_proc call), so it must come from the clients.',
    '',
    '| model | alpha: criticality | alpha: targetModels | GA: objective (priority) | GA: rewrite | clients must send | kept | not kept |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const m of models) {
    const model = m.inferenceModel !== undefined ? `${code(m.modelName)} (InferenceModel ${code(m.inferenceModel)})`
      : m.objective !== undefined ? `requests for objective ${code(m.objective)}` : 'any other model';
    const objective = m.objective === undefined ? `none (priority ${m.priority})` : `${code(m.objective)} (${m.priority})`;
    lines.push(`| ${model} | ${cell(m.alphaCriticality)} | ${code(m.alphaTargets)} | ${objective} | ${m.rewrite === undefined ? '–' : `InferenceModelRewrite ${code(m.rewrite)}`} | ${m.clientSends === 'nothing' ? 'nothing' : code(m.clientSends)} | ${cell(m.kept)} | ${cell(m.notKept)} |`);
  }
  lines.push('');
  return lines;
}
