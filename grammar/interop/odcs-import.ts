// `charter import odcs`: Open Data Contract Standard v3 documents → Charter
// files, as a pure function over parsed documents (cli/import.ts reads the
// files, client/import-odcs.ts does the same for the editor).
//
// One ODCS document (a data contract) becomes one file; each of its schema
// objects becomes a contract `<domain>.<object>`, each property a field.
// Whatever has no Charter equivalent is listed in `notImported` with its YAML
// path and line; values that have an equivalent but cannot be kept as
// written are `problems`; names that had to change are `renamed`.
// docs/interop.md has the mapping tables.

import { writeCharterFile, type PlannedContract, type PlannedField, type PlannedFile } from './charter-writer';
import { emptyKnownNames, type KnownNames } from './known-names';
import { charterName, charterQName, uniqueName } from './names';
import { charterType, isObj, notOdcs, OdcsDoc, type ImportNote } from './odcs-read';
import { durationFromOdcs, ODCS_SLA_TO_CHARTER, percentFromOdcs, SLA_KINDS } from './odcs-sla';
import type { YamlDoc, YamlPath } from './yaml';

export type { ImportNote } from './odcs-read';

/** The first line of every imported file: a file that starts with it may be overwritten by the next import. */
export const IMPORT_MARK = 'Imported from ODCS by `charter import odcs`';

export interface OdcsInput {
  /** The file as the user should see it in messages (relative path). */
  file: string;
  docs: YamlDoc[];
}

export interface ImportOptions {
  /** What the target workspace already declares (nothing is declared twice). */
  known?: KnownNames;
  /** Write everything into this one file (the editor's import, next to the YAML) instead of one file per data contract. */
  single?: string;
  /** Relative paths (`sales/orders.charter`) not to write: the files of other imports. */
  reserved?: Iterable<string>;
}

export interface ImportedFile {
  /** Relative, '/'-separated. */
  path: string;
  text: string;
  /** The input files it comes from. */
  sources: string[];
  contracts: string[];
  fields: number;
}

export interface ImportResult {
  files: ImportedFile[];
  contracts: number;
  fields: number;
  /** Names and values changed to fit Charter (ODCS names that are not Charter names, `proposed` → draft, ...), each saying from what to what. */
  renamed: ImportNote[];
  /** Parts without a Charter equivalent. */
  notImported: ImportNote[];
  /** Parts with an equivalent that could not be kept as written. */
  problems: ImportNote[];
  /** Documents that are not ODCS v3 data contracts (nothing of them imported). */
  errors: ImportNote[];
}

const TRANSFORMS = ['copy', 'derive', 'hash', 'tokenize', 'encrypt', 'mask', 'aggregate'];
/** ODCS statuses (free text: its schema only gives examples) → Charter's three. */
const STATUS_WORDS: Record<string, string[]> = {
  draft: ['draft', 'proposed', 'development', 'in development', 'dev', 'testing', 'test', 'pending', 'planned', 'requested', 'design', 'in design', 'review', 'in review', 'preview', 'beta', 'alpha', 'experimental'],
  active: ['active', 'current', 'production', 'prod', 'live', 'released', 'published', 'stable', 'approved', 'ga', 'generally available'],
  deprecated: ['deprecated', 'retired', 'obsolete', 'sunset', 'decommissioned', 'archived', 'inactive', 'end of life', 'eol', 'superseded'],
};
const STATUSES = new Map<string, string>(Object.entries(STATUS_WORDS).flatMap(([to, words]) => words.map((w) => [w, to] as [string, string])));

interface PropPlan {
  index: number;
  raw: string;
  id?: string;
  field: string;
}
interface ObjPlan {
  /** undefined: a document without schema objects (a contract without fields). */
  index?: number;
  raw: string;
  id?: string;
  contract: string;
  props: PropPlan[];
}
interface DocPlan {
  doc: OdcsDoc;
  domain: string;
  product: string;
  objects: ObjPlan[];
}

/** Case-insensitive lookup of names already declared (the workspace's `pii` for an ODCS `PII`). */
class Names {
  private lower = new Map<string, string>();
  constructor(names: Iterable<string>) {
    for (const n of names) this.add(n);
  }
  add(n: string): void {
    if (!this.lower.has(n.toLowerCase())) this.lower.set(n.toLowerCase(), n);
  }
  has(n: string): boolean {
    return this.lower.get(n.toLowerCase()) === n;
  }
  find(n: string): string | undefined {
    return this.lower.get(n.toLowerCase());
  }
}

export function importOdcs(inputs: OdcsInput[], opts: ImportOptions = {}): ImportResult {
  const known = opts.known ?? emptyKnownNames();
  const result: ImportResult = { files: [], contracts: 0, fields: 0, renamed: [], notImported: [], problems: [], errors: [] };
  const docs: OdcsDoc[] = [];
  for (const input of inputs) {
    input.docs.forEach((y, i) => {
      const bad = notOdcs(y);
      if (bad) result.errors.push({ file: input.file, line: bad.line, path: '(document)', message: bad.message });
      else docs.push(new OdcsDoc(input.file, y, i));
    });
  }

  // Pass 1: names of domains, files, contracts and fields, so that lineage can point anywhere in the import.
  const domains = new Names([...known.domains]);
  const contractsTaken = new Set(known.contracts.keys());
  const plans = docs.map((d) => planNames(d, domains, contractsTaken, known, result));

  // Pass 2: contracts, then files.
  const st: RunState = {
    known,
    plans,
    groups: new Names(known.groups),
    classifications: new Names(known.classifications),
    declaredDomains: new Set(known.domains),
    result,
  };
  const paths = new Set<string>([...(opts.reserved ?? [])].map((p) => p.replace(/\.charter$/, '')));
  let single: PlannedFile | undefined;
  const files: { plan: PlannedFile; sources: string[] }[] = [];
  for (const p of plans) {
    let file: PlannedFile;
    if (opts.single !== undefined) {
      if (!single) {
        single = { path: opts.single, header: [IMPORT_MARK + '; importing again overwrites this file.'], domains: [], groups: [], classifications: [], contracts: [] };
        files.push({ plan: single, sources: [] });
      }
      file = single;
    } else {
      const path = uniqueName(`${p.domain}/${p.product}`, paths) + '.charter';
      file = { path, header: [IMPORT_MARK + '; importing again overwrites this file.'], domains: [], groups: [], classifications: [], contracts: [] };
      files.push({ plan: file, sources: [] });
    }
    const entry = files[files.length - 1];
    if (!entry.sources.includes(p.doc.file)) entry.sources.push(p.doc.file);
    file.header.push(`Source: ${sourceLine(p.doc)}`);
    importDoc(p, file, st);
    p.doc.listUnused();
    result.notImported.push(...p.doc.notImported);
  }
  for (const { plan, sources } of files) {
    plan.header.push('What has no Charter equivalent is listed in the import summary.');
    const w = writeCharterFile(plan);
    if (!w.formatted) result.problems.push({ file: sources[0] ?? plan.path, line: 1, path: '(document)', message: `the written file could not be formatted (${w.reason})` });
    const fields = plan.contracts.reduce((n, c) => n + c.fields.length, 0);
    result.files.push({ path: plan.path, text: w.text, sources, contracts: plan.contracts.map((c) => c.name), fields });
    result.contracts += plan.contracts.length;
    result.fields += fields;
  }
  return result;
}

function sourceLine(d: OdcsDoc): string {
  const id = d.str(['id']);
  if (id !== undefined) d.use(['id']);
  const doc = d.index === 0 ? '' : ` (document ${d.index + 1})`;
  return `${d.file}${doc}, ODCS ${d.str(['apiVersion'])}${id !== undefined ? `, id ${id}` : ''}`;
}

// ------------------------------------------------------------- pass 1: names

function fileStem(file: string): string {
  return file.replace(/^.*[\\/]/, '').replace(/(\.odcs)?\.ya?ml$/i, '');
}

function planNames(d: OdcsDoc, domains: Names, taken: Set<string>, known: KnownNames, result: ImportResult): DocPlan {
  if (d.get(['kind']) === undefined) result.problems.push(d.note([], 'no `kind: DataContract`: read as an ODCS data contract because of its apiVersion and schema'));
  d.use(['kind']);
  d.use(['apiVersion']);
  const rename = (path: YamlPath, raw: string, to: string, what: string) => {
    if (raw !== to) result.renamed.push(d.note(path, `${what} ${JSON.stringify(raw)} → ${to}`));
  };

  // The domain: `domain`, else the data product, the contract's name or the file name stand in for it.
  let domain: string;
  const rawDomain = d.str(['domain']);
  const fallbacks: [YamlPath, string | undefined][] = [[['dataProduct'], d.str(['dataProduct'])], [['name'], d.str(['name'])]];
  if (rawDomain !== undefined && rawDomain.trim()) {
    d.use(['domain']);
    domain = charterName(rawDomain, 'imported');
    domain = domains.find(domain) ?? domain;
    rename(['domain'], rawDomain, domain, 'domain');
  } else {
    const fb = fallbacks.find(([, v]) => v !== undefined && v.trim());
    const raw = fb?.[1] ?? fileStem(d.file);
    domain = charterName(raw, 'imported');
    domain = domains.find(domain) ?? domain;
    if (fb) d.use(fb[0]);
    result.renamed.push(d.note(fb?.[0] ?? [], `no domain: the contracts are put in domain ${domain} (from ${fb ? `${fb[0][0]} ${JSON.stringify(raw)}` : 'the file name'})`));
  }
  domains.add(domain);

  // The file: named after the contract's `name`, else the data product, else the input file.
  const named = ([[['name'], d.str(['name'])], [['dataProduct'], d.str(['dataProduct'])]] as [YamlPath, string | undefined][]).find(([, v]) => v !== undefined && v.trim());
  if (named) d.use(named[0]);
  const product = charterName(named?.[1] ?? fileStem(d.file), 'contract');

  const objects: ObjPlan[] = [];
  const schema = d.get(['schema']);
  const list = Array.isArray(schema) ? schema : [];
  if (schema !== undefined && !Array.isArray(schema)) result.problems.push(d.note(['schema'], 'schema is not a list of objects: nothing of it is imported'));
  const claim = (path: YamlPath, raw: string, product: string): string => {
    const first = `${domain}.${product}`;
    if (!taken.has(first)) {
      taken.add(first);
      return first;
    }
    const where = known.contracts.get(first)?.file;
    const name = uniqueName(first, taken);
    result.problems.push(d.note(path, `contract ${first} is already ${where ? `declared in ${where}` : 'imported from another document'}: imported as ${name}`));
    return name;
  };
  list.forEach((o, i) => {
    if (!isObj(o)) {
      result.problems.push(d.note(['schema', i], 'a schema entry that is not an object: skipped'));
      d.use(['schema', i]);
      return;
    }
    const rawName = typeof o.name === 'string' && o.name.trim() ? o.name : undefined;
    if (rawName === undefined) result.problems.push(d.note(['schema', i], `schema object without a name: named object_${i + 1}`));
    d.use(['schema', i, 'name']);
    if (typeof o.id === 'string') d.use(['schema', i, 'id']);
    const raw = rawName ?? `object_${i + 1}`;
    const prod = charterName(raw, `object_${i + 1}`);
    if (rawName !== undefined) rename(['schema', i, 'name'], raw, prod, 'object');
    const contract = claim(['schema', i, 'name'], raw, prod);
    const props: PropPlan[] = [];
    const fieldNames = new Set<string>();
    const plist = d.get(['schema', i, 'properties']);
    if (plist !== undefined && !Array.isArray(plist)) result.problems.push(d.note(['schema', i, 'properties'], 'properties is not a list: no fields imported'));
    (Array.isArray(plist) ? plist : []).forEach((p, j) => {
      const path: YamlPath = ['schema', i, 'properties', j];
      if (!isObj(p)) {
        result.problems.push(d.note(path, 'a property that is not an object: skipped'));
        d.use(path);
        return;
      }
      const pr = typeof p.name === 'string' && p.name.trim() ? p.name : undefined;
      if (pr === undefined) result.problems.push(d.note(path, `property without a name: named field_${j + 1}`));
      d.use([...path, 'name']);
      if (typeof p.id === 'string') d.use([...path, 'id']);
      const base = charterName(pr ?? `field_${j + 1}`, `field_${j + 1}`);
      if (pr !== undefined) rename([...path, 'name'], pr, base, 'property');
      let field = base;
      if (fieldNames.has(field)) {
        field = uniqueName(base, fieldNames);
        result.problems.push(d.note([...path, 'name'], `${contract} already has a field ${base}: imported as ${field}`));
      } else fieldNames.add(field);
      props.push({ index: j, raw: pr ?? field, id: typeof p.id === 'string' ? p.id : undefined, field });
    });
    objects.push({ index: i, raw, id: typeof o.id === 'string' ? o.id : undefined, contract, props });
  });
  if (!objects.length) {
    // A contract without schema objects (SLAs, a team...): one contract without fields holds them.
    const contract = claim(named?.[0] ?? [], named?.[1] ?? product, product);
    result.renamed.push(d.note(['schema'], `no schema objects: one contract ${contract} without fields holds the contract's version, owner and service levels`));
    objects.push({ raw: named?.[1] ?? product, contract, props: [] });
  }
  return { doc: d, domain, product, objects };
}

// ---------------------------------------------------------- pass 2: contracts

interface RunState {
  known: KnownNames;
  plans: DocPlan[];
  groups: Names;
  classifications: Names;
  declaredDomains: Set<string>;
  result: ImportResult;
}

function importDoc(p: DocPlan, file: PlannedFile, st: RunState): void {
  const d = p.doc;
  const { result } = st;
  const problem = (path: YamlPath, message: string) => result.problems.push(d.note(path, message));
  const unset = charterUnset(d);

  if (!st.declaredDomains.has(p.domain)) {
    st.declaredDomains.add(p.domain);
    file.domains.push(p.domain);
  }
  const needGroup = (name: string, description?: string) => {
    if (st.groups.has(name)) return;
    st.groups.add(name);
    file.groups.push({ name, description });
  };

  // Version and status, shared by every contract of the document.
  let version: string | undefined;
  if (d.get(['version']) !== undefined) {
    d.use(['version']);
    const raw = (d.yaml.raw(['version']) ?? d.str(['version']) ?? '').replace(/^["']|["']$/g, '').trim();
    let m: RegExpExecArray | null;
    if (unset.has('version')) version = undefined;
    else if ((m = /^v?(\d+\.\d+\.\d+)$/i.exec(raw))) {
      version = m[1];
      if (raw !== version) result.renamed.push(d.note(['version'], `version ${JSON.stringify(raw)} → ${version}`));
    } else if (/^\d+(\.\d+)?$/.test(raw)) version = raw;
    else if ((m = /^v?(\d+\.\d+\.\d+)[-+.].*$/i.exec(raw))) {
      version = m[1];
      problem(['version'], `version ${JSON.stringify(raw)}: Charter versions are MAJOR.MINOR.PATCH; imported as ${version}`);
    } else problem(['version'], `version ${JSON.stringify(raw)} is not a version number (such as 2.1.0): left out`);
  }
  let status: string | undefined;
  if (d.get(['status']) !== undefined) {
    d.use(['status']);
    const raw = d.str(['status']) ?? '';
    const s = STATUSES.get(raw.trim().toLowerCase().replace(/[\s_-]+/g, ' '));
    if (unset.has('status')) status = undefined;
    else if (!s) problem(['status'], `status ${JSON.stringify(raw)} has no Charter equivalent (draft, active, deprecated): left out`);
    else {
      status = s;
      if (raw !== s) result.renamed.push(d.note(['status'], `status ${JSON.stringify(raw)} → ${s}`));
    }
  }

  // The owning team (v3.1: an object with a name; v3.0: a list of members) and the roles: groups.
  let owner: string | undefined;
  const team = d.get(['team']);
  if (isObj(team) || Array.isArray(team)) {
    const rawName = isObj(team) && typeof team.name === 'string' && team.name.trim() ? team.name : undefined;
    const base = charterName(rawName ?? `${p.domain}-team`, `${p.domain}-team`);
    owner = st.groups.find(base) ?? base;
    if (rawName !== undefined) {
      d.use(['team', 'name']);
      if (rawName !== owner) result.renamed.push(d.note(['team', 'name'], `team ${JSON.stringify(rawName)} → group ${owner}`));
    } else result.renamed.push(d.note(['team'], `the team has no name: its group is called ${owner}`));
    const description = isObj(team) && typeof team.description === 'string' ? team.description : undefined;
    if (description !== undefined) {
      if (st.groups.has(owner)) d.leaveOut(['team', 'description'], `group ${owner} is declared already (by the workspace or an earlier document): its description is left as it is`);
      else d.use(['team', 'description']);
    }
    needGroup(owner, description);
  } else if (team !== undefined) problem(['team'], 'team is neither a team (name, members) nor a list of members: no owner imported');
  d.list(['roles']).forEach((r, i) => {
    if (!isObj(r) || typeof r.role !== 'string' || !r.role.trim()) return;
    d.use(['roles', i, 'role']);
    const base = charterName(r.role, 'role');
    const g = st.groups.find(base) ?? base;
    if (g !== r.role) result.renamed.push(d.note(['roles', i, 'role'], `role ${JSON.stringify(r.role)} → group ${g}`));
    const desc = typeof r.description === 'string' ? r.description : typeof r.access === 'string' ? `ODCS role with ${r.access} access` : undefined;
    if (typeof r.description === 'string') {
      if (st.groups.has(g)) d.leaveOut(['roles', i, 'description'], `group ${g} is declared already (by the workspace or an earlier document): its description is left as it is`);
      else d.use(['roles', i, 'description']);
    }
    needGroup(g, desc);
  });

  // Contract-level description (purpose, usage, limitations) joins each contract's doc comment.
  const about: string[] = [];
  for (const k of ['purpose', 'usage', 'limitations']) {
    const v = d.str(['description', k]);
    if (v === undefined) continue;
    d.use(['description', k]);
    about.push(`${k[0].toUpperCase()}${k.slice(1)}: ${v.trim()}`);
  }
  if (typeof d.get(['description']) === 'string') {
    d.use(['description']);
    about.push(String(d.get(['description'])).trim());
  }

  const sla = importSla(p, st);
  const source = (o: ObjPlan) => importSource(d, o);

  for (const o of p.objects) {
    const base: YamlPath = o.index === undefined ? [] : ['schema', o.index];
    const desc = o.index !== undefined ? d.str([...base, 'description']) : undefined;
    if (desc !== undefined) d.use([...base, 'description']);
    if (o.index !== undefined && d.get([...base, 'logicalType']) === 'object') d.use([...base, 'logicalType']);
    const doc = [desc?.trim(), about.join('\n')].filter((x) => x).join('\n\n') || undefined;
    const c: PlannedContract = { name: o.contract, doc, version, status, owner, source: source(o), sla: sla.get(o) ?? [], fields: [] };
    for (const pp of o.props) c.fields.push(importField(p, o, pp, file, st));
    file.contracts.push(c);
  }
}

/** `customProperties: [{property: charterUnset, value: [version, status]}]`: values a Charter export had to invent. */
function charterUnset(d: OdcsDoc): Set<string> {
  const out = new Set<string>();
  d.list(['customProperties']).forEach((cp, i) => {
    if (!isObj(cp)) return;
    if (cp.property === 'charterUnset' && Array.isArray(cp.value)) {
      for (const v of cp.value) if (typeof v === 'string') out.add(v);
      d.use(['customProperties', i]);
    } else if (cp.property === 'charterContract') d.use(['customProperties', i]);
    else if (cp.property === 'charterPolicies') {
      d.leaveOut(['customProperties', i], 'policies are not imported: they are Charter code, kept in the workspace that exported this contract (the list names each policy and its file)');
    }
  });
  return out;
}

function customProperty(d: OdcsDoc, base: YamlPath, name: string): { value: unknown; path: YamlPath } | undefined {
  const list = d.list([...base, 'customProperties']);
  for (let i = 0; i < list.length; i++) {
    const cp = list[i];
    if (isObj(cp) && cp.property === name) return { value: cp.value, path: [...base, 'customProperties', i] };
  }
  return undefined;
}

function importSource(d: OdcsDoc, o: ObjPlan): PlannedContract['source'] {
  if (o.index === undefined) return undefined;
  const base: YamlPath = ['schema', o.index];
  const own = customProperty(d, base, 'charterSource');
  if (own && isObj(own.value) && typeof own.value.system === 'string') {
    d.use(own.path);
    if (typeof d.get([...base, 'physicalName']) === 'string') d.use([...base, 'physicalName']);
    return { system: charterName(own.value.system, 'unknown'), location: typeof own.value.location === 'string' ? own.value.location : undefined };
  }
  const physical = d.str([...base, 'physicalName']);
  const servers = d.list(['servers']);
  if (physical === undefined || servers.length !== 1 || !isObj(servers[0]) || typeof servers[0].type !== 'string') return undefined;
  const s = servers[0];
  d.use([...base, 'physicalName']);
  d.use(['servers', 0, 'type']);
  const parts: string[] = [];
  for (const k of ['database', 'catalog', 'project']) {
    if (typeof s[k] === 'string') {
      parts.push(s[k] as string);
      d.use(['servers', 0, k]);
      break;
    }
  }
  for (const k of ['schema', 'dataset']) {
    if (typeof s[k] === 'string') {
      parts.push(s[k] as string);
      d.use(['servers', 0, k]);
      break;
    }
  }
  parts.push(physical);
  return { system: charterName(s.type as string, 'unknown'), location: parts.join('.') };
}

// -------------------------------------------------------------------- SLAs

function importSla(p: DocPlan, st: RunState): Map<ObjPlan, [string, string][]> {
  const d = p.doc;
  const out = new Map<ObjPlan, [string, string][]>();
  const problem = (path: YamlPath, message: string) => st.result.problems.push(d.note(path, message));
  // `element` (or the deprecated slaDefaultElement) may name the object an SLA is about.
  const objectsOf = (element: string | undefined): ObjPlan[] | undefined => {
    if (!element) return undefined;
    const names = element.split(',').map((e) => e.trim().split('.')[0]);
    const hit = p.objects.filter((o) => names.some((n) => n === o.raw || n === o.id || n === o.contract.split('.')[1]));
    return hit.length ? hit : undefined;
  };
  const defaultElement = d.str(['slaDefaultElement']);
  d.list(['slaProperties']).forEach((s, i) => {
    const path: YamlPath = ['slaProperties', i];
    if (!isObj(s) || typeof s.property !== 'string') return;
    const key = ODCS_SLA_TO_CHARTER[s.property.trim()] ?? ODCS_SLA_TO_CHARTER[s.property.trim().toLowerCase()];
    if (!key) {
      d.leaveOut(path, `service level ${JSON.stringify(s.property)} has no Charter equivalent (Charter has ${Object.keys(SLA_KINDS).join(', ')})`);
      return;
    }
    const kind = SLA_KINDS[key];
    let v: { text: string; note?: string } | { error: string };
    if (kind === 'duration') v = durationFromOdcs(s.value, s.unit);
    else if (kind === 'percent') v = percentFromOdcs(s.value, s.unit);
    else if (kind === 'encryption') {
      const e = s.value === true ? 'required' : s.value === false ? 'none' : String(s.value).trim().toLowerCase();
      v = ['required', 'optional', 'none'].includes(e) ? { text: e } : { error: `${JSON.stringify(s.value)} is not required, optional or none` };
    } else v = typeof s.value === 'string' || typeof s.value === 'number' ? { text: JSON.stringify(String(s.value)) } : { error: `${JSON.stringify(s.value)} is not a string` };
    if ('error' in v) {
      problem(path, `service level ${s.property}: ${v.error}: left out`);
      d.use(path);
      return;
    }
    d.use([...path, 'property']);
    d.use([...path, 'value']);
    if (s.unit !== undefined) d.use([...path, 'unit']);
    if (v.note) st.result.renamed.push(d.note(path, `service level ${s.property}: ${v.note}`));
    if (key !== s.property) st.result.renamed.push(d.note([...path, 'property'], `service level ${s.property} → sla ${key}`));
    const element = typeof s.element === 'string' ? s.element : defaultElement;
    let targets = objectsOf(element);
    if (element !== undefined && typeof s.element === 'string') {
      const propertyLevel = s.element.includes('.');
      if (targets && !propertyLevel) d.use([...path, 'element']);
      else d.leaveOut([...path, 'element'], targets ? 'Charter service levels apply to the whole contract, not to one field' : `element ${JSON.stringify(s.element)} names no object of this document: the service level applies to every contract of it`);
    }
    targets ??= p.objects;
    for (const o of targets) {
      const list = out.get(o) ?? [];
      out.set(o, list);
      const prev = list.find(([k]) => k === key);
      if (prev) {
        if (prev[1] !== v.text) problem(path, `a second ${key} (${v.text}) for ${o.contract}, which has ${prev[1]} already: the first is kept`);
        continue;
      }
      list.push([key, v.text]);
    }
  });
  return out;
}

// ------------------------------------------------------------------ fields

function importField(p: DocPlan, o: ObjPlan, pp: PropPlan, file: PlannedFile, st: RunState): PlannedField {
  const d = p.doc;
  const base: YamlPath = ['schema', o.index!, 'properties', pp.index];
  const prop = d.get(base) as Record<string, unknown>;
  const { result } = st;
  const t = charterType(d, base);
  if (t.note) (t.note.problem ? result.problems : result.renamed).push(d.note(t.note.path, t.note.message));
  const flag = (k: string) => {
    if (prop[k] === undefined) return false;
    if (typeof prop[k] !== 'boolean') {
      result.problems.push(d.note([...base, k], `${k} is ${JSON.stringify(prop[k])}, not true or false: left out`));
      d.use([...base, k]);
      return false;
    }
    d.use([...base, k]);
    return prop[k] === true;
  };
  const key = flag('primaryKey');
  if (key && typeof prop.primaryKeyPosition === 'number') d.use([...base, 'primaryKeyPosition']);
  const f: PlannedField = { name: pp.field, type: t.type, key, required: flag('required'), unique: flag('unique'), tags: [], from: [], doc: undefined };
  if (typeof prop.description === 'string') {
    d.use([...base, 'description']);
    f.doc = prop.description;
  }

  // Tags: from a Charter export, the declared ones (the others come back through lineage); otherwise classification and tags.
  const own = customProperty(d, base, 'charterTags');
  const raws: [YamlPath, string][] = [];
  // Tags a Charter export listed as effective (inherited ones among them); one added by hand since is declared.
  const exported = new Set<string>();
  if (own && Array.isArray(own.value)) {
    d.use(own.path);
    own.value.forEach((x, i) => {
      if (!isObj(x) || typeof x.tag !== 'string') return;
      exported.add(x.tag);
      if (x.declared === true) raws.push([[...own.path, 'value', i], x.tag]);
    });
  }
  if (typeof prop.classification === 'string' && prop.classification.trim()) {
    d.use([...base, 'classification']);
    if (!exported.has(prop.classification.trim())) raws.push([[...base, 'classification'], prop.classification.trim()]);
  }
  d.list([...base, 'tags']).forEach((tg, i) => {
    if (typeof tg === 'string' && tg.trim()) {
      d.use([...base, 'tags', i]);
      if (!exported.has(tg.trim())) raws.push([[...base, 'tags', i], tg.trim()]);
    }
  });
  for (const [path, raw] of raws) {
    const tag = classificationFor(raw, file, st);
    if (tag !== raw) result.renamed.push(d.note(path, `tag ${JSON.stringify(raw)} → classification ${tag}`));
    if (!f.tags.includes(tag)) f.tags.push(tag);
  }

  // Lineage: the entries of transformSourceObjects that name a property.
  d.list([...base, 'transformSourceObjects']).forEach((ref, i) => {
    const path = [...base, 'transformSourceObjects', i];
    if (typeof ref !== 'string') return;
    const r = resolveRef(p, o, ref, st);
    if ('field' in r) {
      d.use(path);
      if (!f.from.includes(r.field)) f.from.push(r.field);
    } else d.leaveOut(path, r.why);
  });
  const logic = prop.transformLogic;
  if (typeof logic === 'string' && f.from.length) {
    const m = /^\s*([a-z]+)\s*(\(.*\))?\s*$/i.exec(logic);
    const t = m && TRANSFORMS.includes(m[1].toLowerCase()) ? m[1].toLowerCase() : undefined;
    if (t) {
      d.use([...base, 'transformLogic']);
      f.via = t;
    } else {
      f.via = 'derive';
      d.leaveOut([...base, 'transformLogic'], 'transform logic has no Charter equivalent: the lineage is imported as `via derive` (tags pass on; change it to hash, mask, aggregate... if the logic protects or aggregates)');
    }
  }
  return f;
}

/** A Charter classification for an ODCS tag: the workspace's own when it matches (case aside), else declared here (parents too). */
function classificationFor(raw: string, file: PlannedFile, st: RunState): string {
  const name = charterQName(raw, 'tag');
  const found = st.classifications.find(name);
  if (found) return found;
  let q = '';
  for (const part of name.split('.')) {
    const want = q ? `${q}.${part}` : part;
    const have = st.classifications.find(want);
    if (have === undefined) {
      st.classifications.add(want);
      file.classifications.push(want);
    }
    q = have ?? want;
  }
  return q;
}

type Resolved = { field: string } | { why: string };

/** A transformSourceObjects entry → a qualified Charter field, when it names a property. */
function resolveRef(p: DocPlan, o: ObjPlan, ref: string, st: RunState): Resolved {
  const s = ref.trim();
  const inObj = (ob: ObjPlan, prop: string) => ob.props.find((x) => x.raw === prop || x.field === prop || x.id === prop);
  const hit = (ob: ObjPlan, pr: PropPlan | undefined): Resolved | undefined => (pr ? { field: `${ob.contract}.${pr.field}` } : undefined);
  // Id notation: [file.yaml#]/schema/<object id>/properties/<property id>
  const idm = /^(?:.*\.ya?ml#)?\/?schema\/([A-Za-z0-9_-]+)\/properties\/([A-Za-z0-9_-]+)$/.exec(s);
  if (idm) {
    const docs = [p, ...st.plans.filter((x) => x !== p)];
    for (const dp of docs) {
      const ob = dp.objects.find((x) => x.id === idm[1]);
      const r = ob && hit(ob, ob.props.find((x) => x.id === idm[2]));
      if (r) return r;
    }
    return { why: `${JSON.stringify(s)} names no property of the imported documents: lineage to it is not imported` };
  }
  const parts = s.split('.');
  if (parts.length === 1) return { why: `${JSON.stringify(s)} names an object (a table), not a property: Charter lineage links fields, so it is not imported` };
  if (parts.length === 3) {
    // A Charter field name: domain.product.field.
    const contract = `${parts[0]}.${parts[1]}`;
    for (const dp of st.plans) {
      const ob = dp.objects.find((x) => x.contract === contract || x.contract === `${charterName(parts[0])}.${charterName(parts[1])}`);
      const r = ob && hit(ob, inObj(ob, parts[2]));
      if (r) return r;
    }
    if (st.known.contracts.get(contract)?.fields.has(parts[2])) return { field: s };
  }
  if (parts.length === 2) {
    // object.property: this document first, then the documents of the same domain, then the workspace.
    const [obj, prop] = parts;
    const same = (ob: ObjPlan) => ob.raw === obj || ob.id === obj || ob.contract === `${p.domain}.${obj}`;
    const r0 = p.objects.filter(same).map((ob) => hit(ob, inObj(ob, prop))).find((x) => x);
    if (r0) return r0;
    for (const dp of st.plans) {
      if (dp === p || dp.domain !== p.domain) continue;
      const r = dp.objects.filter(same).map((ob) => hit(ob, inObj(ob, prop))).find((x) => x);
      if (r) return r;
    }
    if (st.known.contracts.get(`${p.domain}.${obj}`)?.fields.has(prop)) return { field: `${p.domain}.${obj}.${prop}` };
  }
  return { why: `${JSON.stringify(s)} names no property of the imported documents or the workspace: lineage to it is not imported` };
}
