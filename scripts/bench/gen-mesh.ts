// Generates a synthetic, deterministic data mesh in Charter text, for benchmarks.
//
//   import { generateMesh } from './gen-mesh';
//   const { files } = generateMesh({ contracts: 500, seed: 7 });
//
//   node --import tsx scripts/bench/gen-mesh.ts <contracts> <outDir> [--seed N]
//
// The mesh has about contracts/20 domains (at least six: crm, sales, payments,
// marketing, finance, logistics), 8-15 fields per contract, classification tags,
// lineage that only points at earlier contracts (so it has no cycles), one or
// two policies per contract, ~50 principals, attribute schemas, a taxonomy and
// a central governance file with ten rules. It is built to be clean: every
// field declares the unprotected tags it inherits, personal data reaches the
// marketing domain only protected, and the organisation-wide policies satisfy
// the access rules. `files` also holds `charter.json` (which makes
// `governance/` the central governance path); all other paths end in `.charter`.
//
// Same options, same text: the only randomness is a seeded PRNG. Node built-ins only.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface MeshOptions {
  contracts: number;
  seed?: number;
}

export interface MeshFile {
  /** Relative, '/'-separated. */
  path: string;
  text: string;
}

export interface Mesh {
  files: MeshFile[];
}

// ------------------------------------------------------------------- random

/** mulberry32: small, fast, good enough for synthetic data. */
class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [v, w] of items) {
      r -= w;
      if (r < 0) return v;
    }
    return items[items.length - 1][0];
  }
  /** `n` distinct items (fewer if there are not enough). */
  sample<T>(items: readonly T[], n: number): T[] {
    const copy = items.slice();
    const out: T[] = [];
    while (out.length < n && copy.length > 0) out.push(copy.splice(Math.floor(this.next() * copy.length), 1)[0]);
    return out;
  }
}

// -------------------------------------------------------------- vocabulary

const DOMAIN_NAMES = [
  'crm', 'sales', 'payments', 'marketing', 'finance', 'logistics', 'inventory', 'catalog', 'support', 'hr',
  'risk', 'pricing', 'identity', 'billing', 'fulfilment', 'partners', 'procurement', 'loyalty', 'analytics', 'security',
];

const DOMAIN_BLURBS: Record<string, string> = {
  crm: 'Customer master data',
  sales: 'Orders from every channel',
  payments: 'Cards, authorisations and settlements',
  marketing: 'Audiences, campaigns and attribution',
  finance: 'Revenue reporting and the ledger',
  logistics: 'Warehouses, shipments and carriers',
  inventory: 'Stock levels and movements',
  catalog: 'Products, prices and assortments',
  support: 'Customer-care tickets and contacts',
  hr: 'People, positions and payroll',
  risk: 'Fraud signals and credit decisions',
  pricing: 'Price lists and promotions',
  identity: 'Accounts, logins and consents',
  billing: 'Invoices and subscriptions',
  fulfilment: 'Picking, packing and returns',
  partners: 'Marketplace sellers and affiliates',
  procurement: 'Suppliers and purchase orders',
  loyalty: 'Points, tiers and rewards',
  analytics: 'Curated cross-domain marts',
  security: 'Access logs and incidents',
};

const PRODUCTS = [
  'customers', 'accounts', 'orders', 'order_lines', 'events', 'sessions', 'invoices', 'refunds', 'shipments', 'returns',
  'products', 'prices', 'stock_levels', 'campaigns', 'segments', 'tickets', 'contacts', 'subscriptions', 'ledger_entries',
  'forecasts', 'suppliers', 'claims', 'devices', 'reviews', 'visits', 'carts', 'quotes', 'budgets', 'transfers', 'alerts',
];

type FieldType = string;

const PLAIN_FIELDS: readonly (readonly [string, FieldType])[] = [
  ['status', 'string'], ['country', 'string'], ['currency', 'string'], ['channel', 'string'], ['locale', 'string'],
  ['category', 'string'], ['sku', 'string'], ['external_ref', 'string'], ['source_system', 'string'], ['tier', 'string'],
  ['reason_code', 'string'], ['title', 'string'], ['plan', 'string'], ['language', 'string'], ['carrier', 'string'],
  ['quantity', 'int'], ['item_count', 'int'], ['attempts', 'int'], ['priority', 'int'], ['score', 'int'],
  ['duration_s', 'int'], ['units', 'int'],
  ['amount', 'decimal'], ['price', 'decimal'], ['discount', 'decimal'], ['tax_amount', 'decimal'],
  ['weight_kg', 'decimal'], ['cost', 'decimal'], ['balance', 'decimal'], ['fee', 'decimal'],
  ['is_active', 'bool'], ['flagged', 'bool'], ['verified', 'bool'], ['opted_in', 'bool'], ['is_test', 'bool'],
  ['business_date', 'date'], ['valid_from', 'date'], ['valid_to', 'date'], ['due_date', 'date'],
  ['created_at', 'timestamp'], ['updated_at', 'timestamp'], ['processed_at', 'timestamp'], ['event_time', 'timestamp'],
  ['parent_id', 'uuid'], ['batch_id', 'uuid'], ['session_id', 'uuid'],
  ['attributes', 'json'], ['payload', 'json'], ['metadata', 'json'],
  ['labels', 'list<string>'], ['categories', 'list<string>'], ['bucket_ids', 'list<int>'], ['measurements', 'list<decimal>'],
];

interface Template {
  name: string;
  type: FieldType;
  tags: string[];
  description?: string;
}

const PII_FIELDS: Template[] = [
  { name: 'email', type: 'string', tags: ['pii.email'], description: 'Contact address' },
  { name: 'phone', type: 'string', tags: ['pii.phone'] },
  { name: 'full_name', type: 'string', tags: ['pii.name'] },
  { name: 'postal_address', type: 'json', tags: ['pii.address'] },
  { name: 'birth_date', type: 'date', tags: ['pii.birthdate'] },
  { name: 'national_id', type: 'string', tags: ['pii.national_id'], description: 'Passport or ID card number' },
  { name: 'ip_address', type: 'string', tags: ['pii'] },
];
const PCI_FIELDS: Template[] = [
  { name: 'card_number', type: 'string', tags: ['pci.pan'], description: 'Primary account number' },
  { name: 'card_holder', type: 'string', tags: ['pii.name', 'pci'] },
  { name: 'card_expiry', type: 'string', tags: ['pci'] },
];
const CONFIDENTIAL_FIELDS: Template[] = [
  { name: 'revenue', type: 'decimal', tags: ['confidential.revenue'] },
  { name: 'margin', type: 'decimal', tags: ['confidential.pricing'] },
];

const FIRST_NAMES = [
  'alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'karl', 'lena', 'mallory', 'nina',
  'oscar', 'peggy', 'quinn', 'rupert', 'sybil', 'trent', 'ursula', 'victor', 'wendy', 'xavier', 'yara', 'zoe', 'amir',
  'bea', 'chen', 'dora', 'emil', 'fatima', 'goran', 'hana', 'igor', 'jonas', 'kemal', 'lucia', 'mateo', 'noor',
];
const DEPARTMENTS = ['bi', 'growth', 'legal', 'finance', 'customer-care', 'sales-ops', 'engineering', 'supply-chain', 'risk'];
const REGIONS = ['EU', 'US', 'APAC'];
const TRANSFORM_WEIGHTS = [
  ['copy', 35], ['derive', 15], ['hash', 10], ['tokenize', 8], ['encrypt', 7], ['mask', 10], ['aggregate', 15],
] as const;
type Transform = (typeof TRANSFORM_WEIGHTS)[number][0];
const PROTECTING: ReadonlySet<Transform> = new Set<Transform>(['hash', 'tokenize', 'encrypt', 'mask']);
const TRANSFORM_SUFFIX: Record<Transform, string> = {
  copy: '', derive: '_norm', hash: '_hash', tokenize: '_token', encrypt: '_enc', mask: '_masked', aggregate: '_total',
};
const MASK_METHODS = ['null', 'redact', 'hash', 'partial'];

// ------------------------------------------------------------------- model

/** tag -> protected (true when it only arrived through hash/tokenize/encrypt/mask). */
type TagSet = Map<string, boolean>;

interface GenField {
  name: string;
  type: FieldType;
  key: boolean;
  required: boolean;
  unique: boolean;
  declared: string[];
  effective: TagSet;
  from: string[];
  via?: Transform;
  description?: string;
  doc?: string;
}

interface GenContract {
  domain: string;
  product: string;
  qname: string;
  fields: GenField[];
}

const isUnder = (tag: string, of: string) => tag === of || tag.startsWith(of + '.');
const hasTag = (tags: TagSet, of: string, unprotectedOnly = false) =>
  [...tags].some(([t, prot]) => isUnder(t, of) && (!unprotectedOnly || !prot));

function mergeTag(into: TagSet, tag: string, prot: boolean): void {
  const cur = into.get(tag);
  into.set(tag, cur === undefined ? prot : cur && prot);
}

const str = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const dashed = (s: string) => s.replace(/_/g, '-');

// --------------------------------------------------------------- generator

export function generateMesh(opts: MeshOptions): Mesh {
  const contractCount = Math.max(0, Math.floor(opts.contracts));
  const seed = opts.seed ?? 1;
  const rng = new Rng(seed);
  const files: MeshFile[] = [];
  const header = `# Generated by scripts/bench/gen-mesh.ts (contracts ${contractCount}, seed ${seed}). Do not edit.\n`;

  // Domains and their teams.
  const domainCount = Math.max(6, Math.round(contractCount / 20));
  const domains: string[] = [];
  for (let i = 0; i < domainCount; i++) {
    const base = DOMAIN_NAMES[i % DOMAIN_NAMES.length];
    const round = Math.floor(i / DOMAIN_NAMES.length);
    domains.push(round === 0 ? base : `${base}${round + 1}`);
  }
  const baseOf = (d: string) => d.replace(/\d+$/, '');
  const team = (d: string) => `${d}-team`;

  // Groups.
  const sharedGroups: [string, string | undefined][] = [
    ['analysts', undefined],
    ['privacy-office', 'Data protection officers'],
    ['auditors', 'Internal and external auditors'],
    ['data-platform', 'Runs the pipelines and the catalogue'],
    ['support-agents', 'Customer-care agents'],
  ];
  const allGroups = [...sharedGroups.map(([g]) => g), ...domains.map(team)];
  {
    let t = header + '\n## Shared roles.\n';
    for (const [g, desc] of sharedGroups) t += `group ${g}${desc ? ' ' + str(desc) : ''}\n`;
    t += '\n#region domain teams\n';
    for (const d of domains) {
      t += rng.chance(0.5) ? `group ${team(d)} ${str(`Owns the ${d} domain`)}\n` : `group ${team(d)}\n`;
    }
    t += '#endregion\n';
    files.push({ path: 'org/groups.charter', text: t });
  }

  // Attribute schemas.
  files.push({
    path: 'org/attributes.charter',
    text:
      header +
      `
## Attributes of people and services.
subject attributes {
  region: "EU" | "US" | "APAC"
  clearance: number
  department: string
  contractor: bool
}

## Attributes of the request context.
context attributes {
  mfa: bool
  device: "managed" | "byod"
  purpose: "analytics" | "operations" | "support" | "audit"
  ticket: string
}
`,
  });

  // Principals: ~50, of which 10 services.
  const principals: string[] = [];
  {
    let t = header;
    const used = new Set<string>();
    for (let i = 0; i < 40; i++) {
      let name = FIRST_NAMES[i % FIRST_NAMES.length];
      if (used.has(name)) name = `${name}-${i}`;
      used.add(name);
      principals.push(name);
      const groups = new Set<string>();
      if (i < 2) groups.add('privacy-office');
      if (rng.chance(0.75)) groups.add(team(rng.pick(domains)));
      if (rng.chance(0.3)) groups.add('analysts');
      if (rng.chance(0.1)) groups.add('support-agents');
      if (rng.chance(0.05)) groups.add('auditors');
      if (rng.chance(0.05)) groups.add('data-platform');
      if (groups.size === 0) groups.add('analysts');
      t += `\nprincipal ${name} {\n  member of ${[...groups].join(', ')}\n`;
      t += `  region ${str(rng.pick(REGIONS))}\n  clearance ${rng.int(1, 4)}\n`;
      if (rng.chance(0.8)) t += `  department ${str(rng.pick(DEPARTMENTS))}\n`;
      if (rng.chance(0.85)) t += `  contractor ${rng.chance(0.15) ? 'true' : 'false'}\n`;
      t += '}\n';
    }
    for (let i = 0; i < 10; i++) {
      const d = domains[i % domains.length];
      const round = Math.floor(i / domains.length);
      const name = round === 0 ? `${d}-etl` : `${d}-etl-${round + 1}`;
      principals.push(name);
      t += `\n## Loads the ${d} products.\nprincipal ${name} service {\n  member of ${team(d)}, data-platform\n  clearance ${rng.int(2, 3)}\n}\n`;
    }
    files.push({ path: 'org/principals.charter', text: t });
  }

  // Taxonomy.
  files.push({
    path: 'governance/taxonomy.charter',
    text:
      header +
      `
## Personally identifiable information.
classification pii "Personally identifiable information" { level 3 }
classification pii.email { level 3 }
classification pii.phone { level 3 }
classification pii.name { level 2 }
classification pii.address { level 3 }
classification pii.birthdate { level 3 }
classification pii.national_id "Government identifiers" { level 4 }

## Payment card data (PCI DSS scope).
classification pci "Payment card data" { level 4 }
classification pci.pan { level 4 }

classification confidential "Commercially sensitive" { level 2 }
classification confidential.revenue { level 2 }
classification confidential.pricing { level 2 }
`,
  });

  // Central governance: ten rules.
  files.push({
    path: 'governance/baseline.charter',
    text:
      header +
      `
## Central data protection and quality baseline.
governance mesh-baseline {
  ## Every data product names its owning team.
  rule contract-owner error {
    every contract must have owner
  }
  rule pii-retention error "PII may be kept at most two years" {
    every contract with fields tagged pii must have sla.retention <= 730d
  }
  rule pci-encrypted error {
    every contract with fields tagged pci must have sla.encryption
  }
  rule pii-masked error {
    every field tagged pii must be masked for everyone except owner, privacy-office
  }
  rule pci-need-to-know error {
    no field tagged pci may be readable by everyone except owner, payments-team
  }
  rule pii-stays-out-of-marketing warning {
    no field tagged pii unprotected may flow into domain marketing
  }
  rule field-names info {
    every field must match /^[a-z][a-z0-9_]*$/
  }
  rule availability warning "Products are available at least 99% of the time" {
    every contract must have sla.availability >= 99%
  }
  rule freshness warning {
    every contract must have sla.freshness <= 1d
  }
  rule policy-names info {
    every policy must match /^[a-z][a-z0-9-]*$/
  }
}
`,
  });

  // Organisation-wide policies; they make the access rules above hold.
  files.push({
    path: 'governance/policies.charter',
    text:
      header +
      `
## PII is redacted for everyone but its owners and the privacy office.
policy pii-baseline on fields tagged pii {
  mask with redact for everyone except owner, privacy-office
}

## Card data is need-to-know.
policy pci-need-to-know on fields tagged pci {
  deny read to everyone except owner, payments-team
}

## The privacy office reviews personal data during audits.
policy privacy-review on fields tagged pii {
  allow read to privacy-office when context.mfa and context.purpose == "audit"
}

## Commercial figures are nulled outside their owners, finance and audit.
policy confidential-figures on fields tagged confidential {
  mask with null for everyone except owner, finance-team, auditors
}
`,
  });

  // Conditions. Every one is well typed against the schemas above.
  const condition = (domain: string): string => {
    const atoms = [
      () => `subject.clearance >= ${rng.int(1, 4)}`,
      () => 'context.mfa',
      () => 'context.device == "managed"',
      () => `context.purpose in ${rng.pick(['["analytics", "operations"]', '["operations", "audit"]', '["support"]'])}`,
      () => `subject.region in ${rng.pick(['["EU"]', '["EU", "US"]', '["US", "APAC"]'])}`,
      () => 'not subject.contractor',
      () => `has(subject.department) and subject.department != "temp"`,
      () => `resource.domain == ${str(domain)}`,
      () => `context.purpose == "analytics"`,
    ];
    const a = rng.pick(atoms)();
    const r = rng.next();
    if (r < 0.45) return a;
    const b = rng.pick(atoms)();
    if (r < 0.8) return `${a} and ${b}`;
    if (r < 0.92) return `${a} or ${b}`;
    return `(${a} or ${b}) and context.mfa`;
  };

  // Contracts.
  const contracts: GenContract[] = [];
  const productsUsed = new Map<string, Set<string>>();
  const domainFiles = new Map<string, string>();
  for (const d of domains) {
    const blurb = DOMAIN_BLURBS[baseOf(d)] ?? 'Data products';
    domainFiles.set(
      d,
      header +
        `\n## ${blurb}.\ndomain ${d} ${str(blurb)} {\n  owner ${team(d)}\n}\n` +
        `\n## The owning team reads everything it publishes.\npolicy ${d}-owner-access on domain ${d} {\n  allow read to owner\n}\n`,
    );
  }

  for (let i = 0; i < contractCount; i++) {
    const domain = domains[i % domains.length];
    const base = baseOf(domain);
    const used = productsUsed.get(domain) ?? new Set<string>();
    productsUsed.set(domain, used);
    let product = PRODUCTS[(i * 7 + Math.floor(i / domains.length)) % PRODUCTS.length];
    for (let n = 2; used.has(product); n++) product = `${PRODUCTS[(i + n) % PRODUCTS.length]}_v${n}`;
    used.add(product);
    const qname = `${domain}.${product}`;
    const c: GenContract = { domain, product, qname, fields: [] };
    const names = new Set<string>();
    const unique = (n: string) => {
      let out = n;
      for (let k = 2; names.has(out); k++) out = `${n}_${k}`;
      names.add(out);
      return out;
    };
    const target = rng.int(8, 15);

    c.fields.push({
      name: unique('id'), type: 'uuid', key: true, required: true, unique: false,
      declared: [], effective: new Map(), from: [],
      doc: rng.chance(0.1) ? 'Surrogate key.' : undefined,
    });

    // Lineage from earlier contracts only: no cycles.
    const lineageCount = i === 0 ? 0 : Math.min(target - 2, rng.int(0, 4));
    for (let k = 0; k < lineageCount; k++) {
      const window = Math.min(i, 30);
      const srcContract = rng.chance(0.7) ? contracts[i - 1 - rng.int(0, window - 1)] : contracts[rng.int(0, i - 1)];
      const sources = rng.sample(srcContract.fields, rng.chance(0.2) ? 2 : 1);
      const inbound: TagSet = new Map();
      for (const s of sources) for (const [t, p] of s.effective) mergeTag(inbound, t, p);
      let via: Transform = rng.weighted(TRANSFORM_WEIGHTS);
      // Personal data reaches marketing only protected (or aggregated away).
      if (base === 'marketing' && hasTag(inbound, 'pii', true) && !PROTECTING.has(via) && via !== 'aggregate') {
        via = rng.pick(['hash', 'tokenize', 'mask', 'aggregate'] as const);
      }
      const effective: TagSet = new Map();
      if (via !== 'aggregate') for (const [t, p] of inbound) mergeTag(effective, t, p || PROTECTING.has(via));
      // Declare every tag that arrives unprotected, so no "inherits" warning fires.
      const declared = [...effective].filter(([, p]) => !p).map(([t]) => t).sort();
      const s0 = sources[0];
      const type =
        via === 'aggregate' ? (s0.type === 'decimal' ? 'decimal' : 'int')
        : PROTECTING.has(via) ? 'string'
        : s0.type;
      const stem = sources.length > 1 ? `${s0.name}_${sources[1].name}` : s0.name;
      const name = unique(
        via === 'aggregate' && type === 'int' ? `${stem}_count` : via === 'copy' && names.has(stem) ? `${srcContract.product}_${stem}` : stem + TRANSFORM_SUFFIX[via],
      );
      c.fields.push({
        name, type, key: false, required: rng.chance(0.2), unique: false,
        declared, effective, from: sources.map((s) => `${srcContract.qname}.${s.name}`),
        via: via === 'copy' && rng.chance(0.6) ? undefined : via,
        description: rng.chance(0.15) ? `Derived from ${srcContract.qname}` : undefined,
      });
    }

    // Sensitive fields, declared here.
    const sensitive: Template[] = [];
    if (base === 'payments' || base === 'billing') sensitive.push(...rng.sample(PCI_FIELDS, rng.int(1, 2)));
    if (base !== 'marketing' && rng.chance(0.45)) sensitive.push(...rng.sample(PII_FIELDS, rng.int(1, 3)));
    if ((base === 'finance' || base === 'pricing' || base === 'sales') && rng.chance(0.5)) sensitive.push(rng.pick(CONFIDENTIAL_FIELDS));
    for (const s of sensitive) {
      if (c.fields.length >= target) break;
      if (names.has(s.name)) continue;
      const effective: TagSet = new Map();
      for (const t of s.tags) effective.set(t, false);
      c.fields.push({
        name: unique(s.name), type: s.type, key: false, required: rng.chance(0.3), unique: s.name === 'email' && rng.chance(0.5),
        declared: s.tags.slice(), effective, from: [], description: s.description,
      });
    }

    // Plain fields up to the target size; some contracts get a region column for row filters.
    if (rng.chance(0.3) && c.fields.length < target) {
      c.fields.push({ name: unique('region'), type: 'string', key: false, required: true, unique: false, declared: [], effective: new Map(), from: [], description: 'EU, US or APAC' });
    }
    while (c.fields.length < target) {
      const [n, type] = rng.pick(PLAIN_FIELDS);
      if (names.has(n)) continue;
      c.fields.push({
        name: unique(n), type, key: false, required: rng.chance(0.25), unique: n === 'external_ref' && rng.chance(0.5),
        declared: [], effective: new Map(), from: [],
        doc: rng.chance(0.04) ? `Business meaning of ${n} is owned by ${team(domain)}.` : undefined,
      });
    }
    contracts.push(c);

    // ---- text
    const hasPii = c.fields.some((f) => hasTag(f.effective, 'pii'));
    const hasPci = c.fields.some((f) => hasTag(f.effective, 'pci'));
    const system = rng.pick(['postgres', 'kafka', 'snowflake', 'bigquery', 's3']);
    const location =
      system === 's3' ? `s3://acme-${domain}/${product}/`
      : system === 'kafka' ? `${domain}.${product}.v${rng.int(1, 3)}`
      : `${domain}.public.${product}`;
    const words = product.replace(/_/g, ' ');
    let t = header + `\n## ${words[0].toUpperCase()}${words.slice(1)} of the ${domain} domain, one row per ${product.replace(/s$/, '').replace(/_/g, ' ')}.\n`;
    t += `contract ${qname} {\n`;
    t += `  version ${rng.int(0, 4)}.${rng.int(0, 12)}.${rng.int(0, 20)}\n`;
    t += `  owner ${team(domain)}\n`;
    t += `  status ${rng.weighted([['active', 80], ['draft', 12], ['deprecated', 8]] as const)}\n`;
    t += `  source ${system} ${str(location)}\n`;
    t += '  sla {\n';
    t += `    freshness ${rng.pick(['5m', '15m', '1h', '6h', '1d'])}\n`;
    t += `    availability ${rng.pick(['99%', '99.5%', '99.9%', '99.95%'])}\n`;
    t += `    retention ${hasPii ? rng.pick(['90d', '180d', '365d', '400d', '730d', '52w']) : rng.pick(['365d', '730d', '1095d', '2555d', '104w'])}\n`;
    if (hasPci || rng.chance(0.3)) t += '    encryption required\n';
    if (rng.chance(0.5)) t += `    escalation ${str(`pagerduty://${team(domain)}`)}\n`;
    t += '  }\n';
    for (const f of c.fields) {
      if (f.doc) t += `  ## ${f.doc}\n`;
      let line = `  field ${f.name}: ${f.type}`;
      if (f.key) line += ' key';
      else if (f.required) line += ' required';
      if (f.unique) line += ' unique';
      if (f.declared.length) line += ` tagged ${f.declared.join(', ')}`;
      if (f.from.length) line += ` from ${f.from.join(', ')}${f.via ? ` via ${f.via}` : ''}`;
      if (f.description) line += ` ${str(f.description)}`;
      t += line + '\n';
    }
    t += '}\n';

    // ---- one or two policies on this contract
    const consumers = () => {
      const pool = allGroups.filter((g) => g !== team(domain) && g !== 'privacy-office');
      const picked = rng.chance(0.3) ? ['analysts'] : rng.sample(pool, rng.int(1, 2));
      if (rng.chance(0.15)) picked.push(`principal ${rng.pick(principals)}`);
      return picked.join(', ');
    };
    const plainFields = c.fields.filter((f) => !f.key);
    const policyCount = rng.chance(0.35) ? 2 : 1;
    for (let p = 0; p < policyCount; p++) {
      const pname = `${dashed(domain)}-${dashed(product)}-${p === 0 ? 'access' : 'restrictions'}`;
      const rules: string[] = [];
      if (p === 0) {
        rules.push(`allow read to ${consumers()}${rng.chance(0.7) ? ` when ${condition(domain)}` : ''}`);
        if (rng.chance(0.5)) {
          const fs = rng.sample(c.fields, rng.int(2, 4)).map((f) => f.name);
          rules.push(`allow read of ${fs.join(', ')} to analysts${rng.chance(0.5) ? ` when ${condition(domain)}` : ''}`);
        }
        if (rng.chance(0.3)) rules.push(`allow read to everyone except ${rng.pick(['support-agents', 'analysts'])} when context.mfa and context.device == "managed"`);
      }
      if (p === 1 || rng.chance(0.5)) {
        const f = rng.pick(plainFields);
        rules.push(`mask ${f.name} with ${rng.pick(MASK_METHODS)} for ${consumers()}${rng.chance(0.3) ? ` when ${condition(domain)}` : ''}`);
      }
      if (p === 1 || rng.chance(0.3)) {
        const f = rng.pick(plainFields);
        rules.push(`deny read of ${f.name} to everyone except owner${rng.chance(0.5) ? ', auditors' : ''}${rng.chance(0.4) ? ` when ${condition(domain)}` : ''}`);
      }
      if (p === 1 && rng.chance(0.5)) rules.push(`mask with ${rng.pick(MASK_METHODS)} for ${consumers()} except owner`);
      const region = c.fields.find((f) => f.name === 'region');
      if (region && rng.chance(0.7)) rules.push(`rows where region == subject.region for ${consumers()}`);
      else {
        const flag = c.fields.find((f) => f.type === 'bool');
        if (flag && rng.chance(0.3)) rules.push(`rows where ${flag.name} == ${rng.chance(0.5) ? 'true' : 'false'} or subject.clearance >= 3 for everyone except owner`);
      }
      if (rules.length === 0) rules.push(`allow read to ${consumers()} when ${condition(domain)}`);
      t += `\n${rng.chance(0.5) ? `## Access to ${qname}.\n` : ''}policy ${pname} on ${qname} {\n${rules.map((r) => `  ${r}\n`).join('')}}\n`;
    }
    files.push({ path: `${domain}/${product}.charter`, text: t });
  }

  // Domain files: a domain declaration, an owner policy, and a wildcard policy for consumers.
  for (const d of domains) {
    const cond = condition(d);
    const readers = rng.sample(allGroups.filter((g) => g !== team(d) && g !== 'privacy-office'), 2).join(', ');
    let text = domainFiles.get(d)!;
    text += `\n## Consumers of every ${d} product.\npolicy ${d}-consumers on ${d}.* {\n  allow read to ${readers} when ${cond}\n}\n`;
    files.push({ path: `${d}/domain.charter`, text });
  }

  files.push({
    path: 'charter.json',
    text: JSON.stringify({ include: ['**/*.charter'], governance: ['governance/**/*.charter'] }, null, 2) + '\n',
  });
  return { files };
}

// --------------------------------------------------------------------- CLI

function main(argv: string[]): number {
  const args = argv.slice();
  let seed: number | undefined;
  const s = args.indexOf('--seed');
  if (s >= 0) {
    seed = Number(args[s + 1]);
    args.splice(s, 2);
  }
  const [countArg, outDir] = args;
  const count = Number(countArg);
  if (!countArg || !outDir || !Number.isInteger(count) || count < 0 || (seed !== undefined && !Number.isInteger(seed))) {
    process.stderr.write('usage: node --import tsx scripts/bench/gen-mesh.ts <contracts> <outDir> [--seed N]\n');
    return 2;
  }
  const { files } = generateMesh({ contracts: count, seed });
  for (const f of files) {
    const p = path.join(outDir, ...f.path.split('/'));
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, f.text);
  }
  const charterFiles = files.filter((f) => f.path.endsWith('.charter'));
  const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
  process.stdout.write(`wrote ${charterFiles.length} .charter files (${bytes} bytes) and charter.json to ${outDir}\n`);
  return 0;
}

if (process.argv[1]?.replace(/\\/g, '/').endsWith('bench/gen-mesh.ts') && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
