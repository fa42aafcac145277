import { analyze, buildModel, LineIndex, type FileDiagnostic } from '../../grammar/index';

/** Builds a one-file workspace (plus optional extra files) and returns its model. */
export function model(text: string, extra: Record<string, string> = {}, central: string[] = []) {
  const files = [{ uri: 'main.charter', text }, ...Object.entries(extra).map(([uri, text]) => ({ uri, text, central: central.includes(uri) }))];
  return buildModel(files, { today: '2026-11-23' });
}

export function analysis(text: string, extra: Record<string, string> = {}, central: string[] = [], today = '2026-11-23') {
  const files = [{ uri: 'main.charter', text, central: central.includes('main.charter') }, ...Object.entries(extra).map(([uri, text]) => ({ uri, text, central: central.includes(uri) }))];
  return analyze(files, { today });
}

/** Diagnostics as `line:col severity code: message` (1-based), sorted. */
export function describe(diags: FileDiagnostic[], files: Map<string, { text: string }>): string[] {
  return diags
    .map((d) => {
      const p = new LineIndex(files.get(d.file)!.text).position(d.range.start);
      return { k: [d.file, p.line, p.character] as const, s: `${d.file === 'main.charter' ? '' : d.file + ':'}${p.line + 1}:${p.character + 1} ${d.severity} ${d.code}: ${d.message}` };
    })
    .sort((a, b) => (a.k[0] < b.k[0] ? -1 : a.k[0] > b.k[0] ? 1 : a.k[1] - b.k[1] || a.k[2] - b.k[2]))
    .map((x) => x.s);
}

export function diagnostics(text: string, extra: Record<string, string> = {}): string[] {
  const m = model(text, extra);
  return describe(m.diagnostics, m.files);
}

/** A small mesh most tests build on. */
export const BASE = `
group analysts
group privacy-office
group sales-data
group payments-team
group crm-team
subject attributes {
  region: "EU" | "US" | "APAC"
  clearance: number
  department: string
}
context attributes {
  mfa: bool
  device: "managed" | "byod"
}
principal alice {
  member of analysts
  region "EU"
  clearance 2
}
principal bob { member of analysts  region "US"  clearance 1 }
principal etl-bot service { member of sales-data }
principal pat { member of payments-team }
principal olga { member of privacy-office }
classification pii { level 3 }
classification pii.email { level 3 }
classification pci { level 4 }
domain sales { owner sales-data }
domain crm { owner crm-team }
domain payments { owner payments-team }
domain marketing { owner analysts }
contract crm.customers {
  field id: uuid key tagged pii
  field email: string tagged pii.email
  field segment: string
}
contract payments.cards {
  field pan: string tagged pci
}
`;
