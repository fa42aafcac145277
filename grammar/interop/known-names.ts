// What a workspace already declares, so that an import adds only what is
// missing (a group declared twice is an error) and resolves lineage to
// contracts that are already there.

import { parse } from '../parser';

export interface KnownNames {
  groups: Set<string>;
  classifications: Set<string>;
  domains: Set<string>;
  /** Contract name → the file declaring it and its field names. */
  contracts: Map<string, { file: string; fields: Set<string> }>;
}

export function emptyKnownNames(): KnownNames {
  return { groups: new Set(), classifications: new Set(), domains: new Set(), contracts: new Map() };
}

/** The declarations of these files (parsed here; a file with syntax errors gives what could be parsed). */
export function knownNames(files: { uri: string; text: string }[]): KnownNames {
  const k = emptyKnownNames();
  for (const f of files) {
    for (const d of parse(f.text).declarations) {
      switch (d.kind) {
        case 'group':
          k.groups.add(d.name.text);
          break;
        case 'classification':
          k.classifications.add(d.name.text);
          break;
        case 'domain':
          k.domains.add(d.name.text);
          break;
        case 'contract':
          if (!k.contracts.has(d.name.text)) k.contracts.set(d.name.text, { file: f.uri, fields: new Set(d.fields.map((x) => x.name.text)) });
          break;
      }
    }
  }
  return k;
}
