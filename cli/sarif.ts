// SARIF 2.1.0, as GitHub code scanning accepts it.

import { pathToFileURL } from 'node:url';
import type { CliDiagnostic } from './output';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/** `descriptions`: a short description per code that is not a check or rule code. */
export function toSarif(root: string, diags: CliDiagnostic[], version: string, descriptions: Record<string, string> = {}): object {
  const ruleIds = [...new Set(diags.map((d) => d.code))].sort();
  const region = (d: { line: number; column: number; endLine: number; endColumn: number }) => ({
    startLine: d.line,
    startColumn: d.column,
    endLine: d.endLine,
    endColumn: Math.max(d.endColumn, d.endLine === d.line ? d.column + 1 : 1),
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'charter',
            version,
            informationUri: 'https://example.invalid/charter',
            rules: ruleIds.map((id) => ({
              id,
              name: id.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : '')),
              shortDescription: { text: descriptions[id] ?? (id.startsWith('rule:') ? `Governance rule ${id.slice(5)}` : `Charter check ${id}`) },
            })),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(root).href + '/' } },
        results: diags.map((d) => ({
          ruleId: d.code,
          ruleIndex: ruleIds.indexOf(d.code),
          level: LEVEL[d.severity],
          message: { text: d.message },
          locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(d.file), uriBaseId: 'SRCROOT' }, region: region(d) } }],
          ...(d.related?.length
            ? {
                relatedLocations: d.related.map((r, i) => ({
                  id: i + 1,
                  message: { text: r.message },
                  physicalLocation: { artifactLocation: { uri: encodeURI(r.file), uriBaseId: 'SRCROOT' }, region: region(r) },
                })),
              }
            : {}),
        })),
      },
    ],
  };
}
