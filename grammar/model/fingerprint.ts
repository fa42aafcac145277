// What a piece of syntax means, without where it is: two nodes with the same
// fingerprint differ at most in their source positions (and comments).
// The incremental rebuild uses it to tell which declarations an edit changed.

const POSITION_KEYS = new Set(['range', 'keyword', 'whatRange', 'fromRange', 'severityRange', 'detectRanges']);

function withoutPositions(key: string, value: unknown): unknown {
  return POSITION_KEYS.has(key) ? undefined : value;
}

export function fingerprint(node: unknown): string {
  return JSON.stringify(node, withoutPositions) ?? '';
}
