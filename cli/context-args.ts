// `--context k=v`: parsed and checked against the context schema.

import { attributeValueFromText, type AttrValue, type Model } from '../grammar/index';
import { closest } from '../grammar/index';
import { UsageError } from './errors';

export function parseContext(model: Model, pairs: string[] | undefined): Map<string, AttrValue> {
  const out = new Map<string, AttrValue>();
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--context takes key=value, not '${pair}'`);
    const key = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1).trim();
    const attr = model.contextSchema.get(key);
    if (!attr) {
      const known = [...model.contextSchema.keys()];
      const guess = closest(key, known);
      throw new UsageError(`unknown context attribute '${key}'${guess ? `; did you mean '${guess}'?` : ''} (known: ${known.join(', ') || 'none declared'})`);
    }
    const v = attributeValueFromText(attr, raw);
    if (v.error) throw new UsageError(`bad value for --context ${key}: ${v.error}, not '${raw}'`);
    out.set(key, v.value!);
  }
  return out;
}
