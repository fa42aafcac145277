// Reading one ODCS v3 document for the importer: is it an ODCS data
// contract at all, typed access to its parts, and a record of which parts
// were used, so that everything else can be listed ("not imported") instead
// of dropped silently.

import { pathText, type YamlDoc, type YamlPath } from './yaml';

export interface ImportNote {
  /** The input file, as the user named it. */
  file: string;
  /** 1-based line of `path` in the file. */
  line: number;
  /** YAML path, `schema[0].properties[2].quality`. */
  path: string;
  message: string;
}

type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Why a document is not an ODCS v3 data contract (undefined: it is one). */
export function notOdcs(doc: YamlDoc): { line: number; message: string } | undefined {
  const v = doc.value;
  if (v === null || v === undefined) return { line: doc.line([]), message: 'the document is empty, not an ODCS data contract' };
  if (!isObj(v)) return { line: doc.line([]), message: `the document is a ${Array.isArray(v) ? 'list' : typeof v}, not an ODCS data contract (a mapping with kind: DataContract)` };
  if (v.dataContractSpecification !== undefined) return { line: doc.line(['dataContractSpecification']), message: 'this is a Data Contract Specification file (datacontract.com), not ODCS: convert it with `datacontract export --format odcs` first' };
  if (v.kind === undefined && !(typeof v.apiVersion === 'string' && /^v?3\./.test(v.apiVersion) && Array.isArray(v.schema))) return { line: doc.line([]), message: 'not an ODCS data contract: it has no `kind: DataContract`' };
  if (v.kind !== undefined && String(v.kind).toLowerCase() !== 'datacontract') return { line: doc.line(['kind']), message: `not an ODCS data contract: kind is ${JSON.stringify(v.kind)}, not DataContract` };
  const api = v.apiVersion;
  if (api === undefined) return { line: doc.line(['kind']), message: 'no apiVersion: an ODCS v3 data contract says `apiVersion: v3.1.0` (or v3.0.x)' };
  const s = String(api);
  if (/^v?2\./.test(s)) return { line: doc.line(['apiVersion']), message: `apiVersion ${s} is ODCS v2, whose layout differs; only ODCS v3 (v3.0.x, v3.1.x) is imported` };
  if (!/^v?3\.\d+(\.\d+)?$/.test(s)) return { line: doc.line(['apiVersion']), message: `apiVersion ${JSON.stringify(api)} is not an ODCS v3 version (v3.0.x, v3.1.x)` };
  return undefined;
}

/** Why a part without a Charter equivalent is left out, by its key. */
const REASONS: Record<string, string> = {
  quality: 'data quality rules have no Charter equivalent',
  servers: 'servers have no Charter equivalent (a single server\'s type, database and schema make the contracts\' `source`)',
  authoritativeDefinitions: 'links to authoritative definitions have no Charter equivalent',
  customProperties: 'custom properties have no Charter equivalent',
  price: 'pricing has no Charter equivalent',
  support: 'support channels have no Charter equivalent (the nearest is an `sla { escalation "..." }` string)',
  relationships: 'relationships (foreign keys) have no Charter equivalent',
  examples: 'example values have no Charter equivalent',
  physicalType: 'the physical type has no Charter equivalent (the logical type makes the field type)',
  physicalName: 'the physical name has no Charter equivalent without a single server (`source` needs the system)',
  businessName: 'business names have no Charter equivalent',
  logicalTypeOptions: 'logical type options (formats, lengths, ranges) have no Charter equivalent',
  partitioned: 'partitioning has no Charter equivalent',
  partitionKeyPosition: 'partitioning has no Charter equivalent',
  primaryKeyPosition: 'key positions have no Charter equivalent (keys are in field order)',
  criticalDataElement: 'critical data elements have no Charter equivalent',
  encryptedName: 'encrypted column names have no Charter equivalent',
  transformDescription: 'transform descriptions have no Charter equivalent',
  transformLogic: 'transform logic has no Charter equivalent (only the kind of transform: `via derive`, `via hash`, ...)',
  dataGranularityDescription: 'granularity descriptions have no Charter equivalent',
  tenant: 'tenants have no Charter equivalent',
  contractCreatedTs: 'creation timestamps have no Charter equivalent',
  tags: 'Charter tags fields, not whole contracts',
  members: 'team members have no Charter equivalent (principals are personas for simulation: declare them yourself)',
  access: 'access is granted by policies in Charter (`allow read to <group>`), not by the role itself',
  firstLevelApprovers: 'approvers have no Charter equivalent',
  secondLevelApprovers: 'approvers have no Charter equivalent',
  slaDefaultElement: 'Charter service levels apply to the whole contract',
  element: 'Charter service levels apply to the whole contract',
  driver: 'SLA drivers have no Charter equivalent',
  valueExt: 'extended SLA values have no Charter equivalent',
  schedule: 'schedules have no Charter equivalent',
  scheduler: 'schedules have no Charter equivalent',
  id: 'stable ids have no Charter equivalent',
  dataProduct: 'data product names have no Charter equivalent (the file is named after `name`)',
  items: 'nested item definitions have no Charter equivalent beyond list<T>',
  properties: 'nested properties have no Charter equivalent (the field is json)',
};

/** Values that say nothing: not listed when left out. */
function saysNothing(v: unknown, key: string | number | undefined): boolean {
  if (v === null || v === undefined || v === false || v === '') return true;
  if (Array.isArray(v) && v.length === 0) return true;
  if (isObj(v) && Object.keys(v).length === 0) return true;
  return typeof key === 'string' && key.endsWith('Position') && v === -1;
}

/** One document being imported: what it holds, and what of it was used. */
export class OdcsDoc {
  readonly root: Obj;
  private used = new Set<string>();
  readonly notImported: ImportNote[] = [];

  constructor(readonly file: string, readonly yaml: YamlDoc, readonly index: number) {
    this.root = yaml.value as Obj;
  }

  get(path: YamlPath): unknown {
    let v: unknown = this.root;
    for (const p of path) {
      if (typeof p === 'number') v = Array.isArray(v) ? v[p] : undefined;
      else v = isObj(v) ? v[p] : undefined;
      if (v === undefined) return undefined;
    }
    return v;
  }
  str(path: YamlPath): string | undefined {
    const v = this.get(path);
    return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
  }
  list(path: YamlPath): unknown[] {
    const v = this.get(path);
    return Array.isArray(v) ? v : [];
  }
  /** Marks a part (and everything under it) as used. */
  use(path: YamlPath): void {
    this.used.add(pathText(path));
  }
  note(path: YamlPath, message: string): ImportNote {
    return { file: this.file, line: this.yaml.line(path), path: pathText(path), message };
  }
  /** Lists a part as not imported, with why (and marks it, so it is listed once). */
  leaveOut(path: YamlPath, message?: string): void {
    this.notImported.push(this.note(path, message ?? reasonFor(path)));
    this.use(path);
  }

  /** Everything that was neither used nor listed yet, listed now (the highest unused parts). */
  listUnused(): void {
    const ancestors = new Set<string>();
    for (const u of this.used) {
      // every prefix of a used path: `a.b[0].c` → `a`, `a.b`, `a.b[0]`
      const re = /[.[]/g;
      let m: RegExpExecArray | null;
      while ((m = re.exec(u))) ancestors.add(u.slice(0, m.index));
    }
    const visit = (v: unknown, path: YamlPath) => {
      const t = pathText(path);
      if (this.used.has(t)) return;
      if (path.length && saysNothing(v, path[path.length - 1])) return;
      if (!path.length || ancestors.has(t)) {
        if (Array.isArray(v)) v.forEach((x, i) => visit(x, [...path, i]));
        else if (isObj(v)) for (const k of Object.keys(v)) visit(v[k], [...path, k]);
        return;
      }
      this.leaveOut(path);
    };
    visit(this.root, []);
  }
}

export function reasonFor(path: YamlPath): string {
  const last = path[path.length - 1];
  if (last === 'physicalName' && path.includes('properties')) return 'physical column names have no Charter equivalent';
  if (last === 'physicalType' && path[0] === 'schema' && !path.includes('properties')) return 'physical object types (table, view, topic, ...) have no Charter equivalent';
  // The nearest key that says why: `servers[0].host` is left out because servers are.
  for (let i = path.length - 1; i >= 0; i--) {
    const k = path[i];
    if (typeof k === 'string' && REASONS[k]) return REASONS[k];
  }
  return 'no Charter equivalent';
}

// ------------------------------------------------------------------ types

const LOGICAL: Record<string, string> = {
  string: 'string',
  integer: 'int',
  number: 'decimal',
  boolean: 'bool',
  date: 'date',
  timestamp: 'timestamp',
  object: 'json',
};

/** A physical (or non-standard logical) type name → the Charter type it most likely is. */
export function typeFromPhysical(t: string, depth = 0): string | undefined {
  const s = t.trim().toLowerCase();
  const inner = /^(?:array|list)\s*<(.*)>$/.exec(s);
  if (inner && depth < 4) return `list<${typeFromPhysical(inner[1], depth + 1) ?? 'json'}>`;
  if (/^(array|list|repeated)\b/.test(s)) return 'list<json>';
  if (/^(uuid|uniqueidentifier|guid)\b/.test(s)) return 'uuid';
  if (/^timestamp|^datetime|^smalldatetime/.test(s)) return 'timestamp';
  if (/^date\b/.test(s)) return 'date';
  if (/^bool/.test(s) || s === 'bit') return 'bool';
  if (/^(tiny|small|medium|big)?int(eger)?\d*\b|^u?int\d+\b|^long\b|^short\b|^byte\b|^(small|big)?serial\d*\b/.test(s)) return 'int';
  if (/^(decimal|numeric|number|float|double|real|money|smallmoney|bignumeric|bigdecimal|binary_float|binary_double)/.test(s)) return 'decimal';
  if (/^(json|jsonb|variant|struct|map|record|object|super|row|hstore)\b/.test(s)) return 'json';
  if (/^n?(var)?char|^character|^text|^tinytext|^mediumtext|^longtext|^string|^str\b|^n?clob|^citext|^bpchar|^xml|^enum|^u?rowid|^interval|^time\b|^(var)?binary|^blob|^bytea|^bytes?\b|^raw\b|^bfile|^image\b/.test(s)) return 'string';
  return undefined;
}

export interface TypeResult {
  type: string;
  /** A lossy or guessed mapping, worth listing. */
  note?: { path: YamlPath; message: string; problem?: boolean };
}

/** The Charter type of an ODCS property (or array item) at `path`. */
export function charterType(doc: OdcsDoc, path: YamlPath, depth = 0): TypeResult {
  const lt = doc.get([...path, 'logicalType']);
  const ltPath = [...path, 'logicalType'];
  if (typeof lt === 'string') {
    doc.use(ltPath);
    const l = lt.trim().toLowerCase();
    if (l === 'string' && doc.get([...path, 'logicalTypeOptions', 'format']) === 'uuid') {
      doc.use([...path, 'logicalTypeOptions', 'format']);
      return { type: 'uuid' };
    }
    if (l === 'array') {
      if (depth > 4 || !isObj(doc.get([...path, 'items']))) {
        return { type: 'list<json>', note: { path: ltPath, message: 'an array without items: imported as list<json>' } };
      }
      const inner = charterType(doc, [...path, 'items'], depth + 1);
      return { type: `list<${inner.type}>`, note: inner.note };
    }
    if (LOGICAL[l]) return { type: LOGICAL[l] };
    if (l === 'time') return { type: 'string', note: { path: ltPath, message: 'Charter has no time-of-day type: imported as string' } };
    const guess = typeFromPhysical(l);
    if (guess) return { type: guess, note: { path: ltPath, message: `logicalType ${JSON.stringify(lt)} is not an ODCS logical type: imported as ${guess}` } };
    return { type: 'string', note: { path: ltPath, message: `unknown logicalType ${JSON.stringify(lt)}: imported as string`, problem: true } };
  }
  const pt = doc.get([...path, 'physicalType']);
  if (typeof pt === 'string') {
    const guess = typeFromPhysical(pt);
    if (guess) {
      doc.use([...path, 'physicalType']);
      return { type: guess, note: { path: [...path, 'physicalType'], message: `no logicalType: ${guess}, from physicalType ${JSON.stringify(pt)}` } };
    }
  }
  return { type: 'string', note: { path, message: 'no logicalType (nor a physicalType Charter knows): imported as string', problem: true } };
}
