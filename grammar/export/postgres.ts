// `charter export postgres`: the enforcement plan as PostgreSQL (15+).
// The observable contract is LANGUAGE.md's ("charter export postgres");
// docs/enforcement.md explains every statement. In short:
//   000-roles.sql   the `charter` schema (helper functions, the registry of
//                   what earlier applies created), a NOLOGIN role per group
//                   and per principal, GRANT group TO principal, the
//                   principals' subject attributes; views of the previous
//                   apply are dropped and roles no longer in the model retired
//   NNN-<domain>    per domain: schema <domain>, and per contract the view
//                   <domain>.<product> over its physical table, granted to
//                   the principals who may read some column
// A view computes the session's decision per column once (a MATERIALIZED
// CTE: the principal is current_user, the context the settings charter.X)
// and applies it to each row; row filters are its WHERE clause.

import { ERROR } from '../evaluator/condition';
import { buildPlan, type EnforcementPlan, type PlanAttribute, type PlanContract, type PlanOptions } from './plan';
import { columnRep, SqlConditions, type Cond, type Rep, type SqlDialect } from './sql-condition';
import { collect, columnDecision, numbered, pickContracts, rowKept, type SqlExport, type SqlFile } from './sql-export';
import type { Model } from '../model/types';

/** Keywords PostgreSQL 15 does not take as a bare name (pg_get_keywords(): catcode R, T and C). */
const PG_KEYWORDS = new Set(
  (
    'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create current_catalog current_date ' +
    'current_role current_time current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign from ' +
    'grant group having in initially intersect into lateral leading limit localtime localtimestamp not null offset on only or order placing primary ' +
    'references returning select session_user some symmetric system_user table then to trailing true union unique user using variadic when where ' +
    'window with authorization binary collation concurrently cross current_schema freeze full ilike inner is isnull join left like natural notnull ' +
    'outer overlaps right similar tablesample verbose between bigint bit boolean char character coalesce dec decimal exists extract float greatest ' +
    'grouping inout int integer interval least national nchar none normalize nullif numeric out overlay position precision real row setof smallint ' +
    'substring time timestamp treat trim values varchar xmlattributes xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot ' +
    'xmlserialize xmltable json_array json_arrayagg json_object json_objectagg json_scalar json_serialize json_exists json_query json_table json_value merge_action'
  ).split(' '),
);

/** An identifier, quoted where PostgreSQL needs it. */
export function pgIdent(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !PG_KEYWORDS.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** A string literal (standard_conforming_strings: backslashes are literal). */
export function pgString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** Where moved physical tables go when a view takes their name (see `moveAside`). */
export const MOVED_SCHEMA = 'charter_tables';

const SUBJECT_TABLE = 'charter.subject_attributes';
const HELPERS = [
  'charter.context_setting(text)',
  'charter.context_string(text)',
  'charter.context_enum(text, text[])',
  'charter.context_bool(text)',
  'charter.context_number(text)',
  'charter.context_date(text)',
  'charter.mask_hash(text)',
  'charter.mask_redact(text)',
  'charter.mask_partial(text)',
];

function sqlType(a: PlanAttribute): string {
  return a.type === 'number' ? 'double precision' : a.type === 'bool' ? 'boolean' : a.type === 'date' ? 'date' : 'text';
}

const envCol = (scope: 'subject' | 'context', name: string) => `e.${pgIdent(`${scope}.${name}`)}`;

export const postgresDialect: SqlDialect = {
  engine: 'PostgreSQL',
  string: pgString,
  number: (n) => `${pgString(String(n))}::float8`,
  date: (d) => `DATE ${pgString(d)}`,
  nullBool: 'NULL::boolean',
  subject: (a) => envCol('subject', a.name),
  context: (a) => envCol('context', a.name),
  column(name, type) {
    const rep = columnRep(type);
    const c = `t.${pgIdent(name)}`;
    if (rep === 'float') return { sql: `${c}::float8`, rep };
    if (rep === 'text') return { sql: type === 'string' ? c : `${c}::text`, rep };
    return { sql: c, rep };
  },
  toText: (sql: string, rep: Rep) => (rep === 'date' ? `to_char(${sql}, 'YYYY-MM-DD')` : `${sql}::text`),
  textOrder: (sql) => `(${sql} COLLATE "C")`,
  inGroup: (g) => `pg_has_role(current_user, ${pgString(g)}, 'MEMBER')`,
  isPrincipal: (p) => `(current_user = ${pgString(p)})`,
};

/** `source postgres "db.schema.table"` → schema and table (the last two dot-separated parts). */
export function physicalTable(location: string): { schema: string; table: string } | undefined {
  const parts = location.split('.');
  if (parts.length < 2 || parts.some((p) => p === '')) return undefined;
  return { schema: parts[parts.length - 2], table: parts[parts.length - 1] };
}

const RESERVED_ROLES = new Set(['public', 'none', 'current_user', 'session_user', 'current_role', 'all']);

function checkName(errors: string[], what: string, name: string, role: boolean): void {
  if (new TextEncoder().encode(name).length > 63) errors.push(`${what} ${name}: longer than PostgreSQL's 63-byte names: the PostgreSQL export cannot express it`);
  if (role && (name.toLowerCase().startsWith('pg_') || RESERVED_ROLES.has(name.toLowerCase()))) {
    errors.push(`${what} ${name}: PostgreSQL reserves this role name: the PostgreSQL export cannot express it`);
  }
}

const HEADER = (what: string) => `-- Generated by \`charter export postgres\` from a Charter model: regenerate, do not edit.
-- ${what}
-- Apply every file of the export in order, in one transaction (docs/enforcement.md):
--   psql -v ON_ERROR_STOP=1 --single-transaction -f 000-roles.sql -f 001-....sql ...
`;

function rolesFile(plan: EnforcementPlan, contracts: PlanContract[], moved: Map<string, { schema: string; table: string }>): string {
  const roles = [...plan.groups, ...plan.principals.map((p) => p.name)];
  const arr = (xs: string[]) => (xs.length ? `ARRAY[${xs.map(pgString).join(', ')}]` : 'ARRAY[]::text[]');
  const memberships = plan.principals.flatMap((p) => p.groups.map((g) => [g, p.name] as const));
  const out: string[] = [HEADER('Roles, memberships, subject attributes and helpers; drops what an earlier apply created.')];
  out.push(`SELECT pg_advisory_xact_lock(hashtext('charter export postgres'));

CREATE SCHEMA IF NOT EXISTS charter;
REVOKE ALL ON SCHEMA charter FROM PUBLIC;
COMMENT ON SCHEMA charter IS 'Managed by charter export postgres: helpers, subject attributes and the registry of what it created.';
CREATE TABLE IF NOT EXISTS charter.managed_roles (role_name text PRIMARY KEY, created boolean NOT NULL);
CREATE TABLE IF NOT EXISTS charter.managed_views (schema_name text, view_name text, PRIMARY KEY (schema_name, view_name));
CREATE TABLE IF NOT EXISTS charter.managed_schemas (schema_name text PRIMARY KEY);

-- Views of the previous apply: dropped here, created again by the domain files.
DO $$
DECLARE r record;
BEGIN
  FOR r IN
    SELECT v.schema_name, v.view_name FROM charter.managed_views v
    JOIN pg_namespace n ON n.nspname = v.schema_name JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = v.view_name AND c.relkind = 'v'
  LOOP
    EXECUTE format('DROP VIEW %I.%I', r.schema_name, r.view_name);
  END LOOP;
  DELETE FROM charter.managed_views;
END $$;

-- Context attributes: session settings charter.<name>. Unset, empty or not a
-- value of the attribute's type is a missing attribute (NULL: fails closed).
-- A value in double quotes is taken without them, as on the command line.
CREATE OR REPLACE FUNCTION charter.context_setting(attr text) RETURNS text
LANGUAGE sql STABLE AS $f$
  SELECT CASE WHEN length(v) >= 2 AND left(v, 1) = '"' AND right(v, 1) = '"' THEN substr(v, 2, length(v) - 2) ELSE v END
  FROM (SELECT NULLIF(current_setting('charter.' || attr, true), '') AS v) AS s
$f$;
CREATE OR REPLACE FUNCTION charter.context_string(attr text) RETURNS text
LANGUAGE sql STABLE AS $f$ SELECT charter.context_setting(attr) $f$;
CREATE OR REPLACE FUNCTION charter.context_enum(attr text, allowed text[]) RETURNS text
LANGUAGE sql STABLE AS $f$ SELECT v FROM (SELECT charter.context_setting(attr) AS v) AS s WHERE v = ANY (allowed) $f$;
CREATE OR REPLACE FUNCTION charter.context_bool(attr text) RETURNS boolean
LANGUAGE sql STABLE AS $f$ SELECT CASE charter.context_setting(attr) WHEN 'true' THEN true WHEN 'false' THEN false END $f$;
CREATE OR REPLACE FUNCTION charter.context_number(attr text) RETURNS double precision
LANGUAGE plpgsql STABLE AS $f$
DECLARE v text := charter.context_setting(attr);
BEGIN
  IF v ~ '^\\s*[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*$' THEN
    BEGIN RETURN v::double precision; EXCEPTION WHEN others THEN RETURN NULL; END;
  END IF;
  RETURN NULL;
END $f$;
CREATE OR REPLACE FUNCTION charter.context_date(attr text) RETURNS date
LANGUAGE plpgsql STABLE AS $f$
DECLARE v text := charter.context_setting(attr);
BEGIN
  IF v ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN
    BEGIN RETURN v::date; EXCEPTION WHEN others THEN RETURN NULL; END;
  END IF;
  RETURN NULL;
END $f$;

-- Masks. hash: lowercase hex SHA-256 of the value's text form. redact: the
-- text [redacted]. partial: *** and at most the last 4 characters (a quarter
-- of the value at most). Neither of the last two returns NULL or the value itself.
CREATE OR REPLACE FUNCTION charter.mask_hash(v text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $f$ SELECT encode(sha256(convert_to(v, 'UTF8')), 'hex') $f$;
CREATE OR REPLACE FUNCTION charter.mask_redact(v text) RETURNS text
LANGUAGE sql IMMUTABLE AS $f$ SELECT CASE WHEN v IS DISTINCT FROM '[redacted]' THEN '[redacted]' ELSE '[REDACTED]' END $f$;
CREATE OR REPLACE FUNCTION charter.mask_partial(v text) RETURNS text
LANGUAGE sql IMMUTABLE AS $f$
  SELECT CASE WHEN p IS DISTINCT FROM v THEN p ELSE p || '*' END
  FROM (SELECT '***' || right(coalesce(v, ''), least(4, length(coalesce(v, '')) / 4)) AS p) AS s
$f$;

-- Roles: one per group and per principal, NOLOGIN when created here.
CREATE OR REPLACE FUNCTION charter.ensure_role(r text) RETURNS void
LANGUAGE plpgsql AS $f$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
    EXECUTE format('CREATE ROLE %I NOLOGIN', r);
    INSERT INTO charter.managed_roles VALUES (r, true) ON CONFLICT (role_name) DO UPDATE SET created = true;
  ELSE
    INSERT INTO charter.managed_roles VALUES (r, false) ON CONFLICT (role_name) DO NOTHING;
  END IF;
END $f$;
-- Memberships among managed roles become exactly the given ones.
CREATE OR REPLACE FUNCTION charter.sync_memberships(groups text[], members text[]) RETURNS void
LANGUAGE plpgsql AS $f$
DECLARE r record;
BEGIN
  FOR r IN
    SELECT g.rolname AS grp, m.rolname AS member
    FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
    WHERE g.rolname IN (SELECT role_name FROM charter.managed_roles) AND m.rolname IN (SELECT role_name FROM charter.managed_roles)
  LOOP
    IF NOT EXISTS (SELECT FROM unnest(groups, members) AS w(g, m) WHERE w.g = r.grp AND w.m = r.member) THEN
      EXECUTE format('REVOKE %I FROM %I', r.grp, r.member);
    END IF;
  END LOOP;
  FOR i IN 1 .. coalesce(array_length(groups, 1), 0) LOOP
    IF NOT EXISTS (
      SELECT FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
      WHERE g.rolname = groups[i] AND m.rolname = members[i]
    ) THEN
      EXECUTE format('GRANT %I TO %I', groups[i], members[i]);
    END IF;
  END LOOP;
END $f$;
-- Managed roles lose their access to the domain schemas (the domain files grant it again).
CREATE OR REPLACE FUNCTION charter.revoke_schema_usage() RETURNS void
LANGUAGE plpgsql AS $f$
DECLARE s text; r text;
BEGIN
  FOR s IN SELECT schema_name FROM charter.managed_schemas WHERE EXISTS (SELECT FROM pg_namespace WHERE nspname = schema_name) UNION SELECT 'charter' LOOP
    FOR r IN SELECT role_name FROM charter.managed_roles WHERE EXISTS (SELECT FROM pg_roles WHERE rolname = role_name) LOOP
      EXECUTE format('REVOKE ALL ON SCHEMA %I FROM %I', s, r);
    END LOOP;
  END LOOP;
END $f$;
-- Roles no longer in the model: dropped when this export created them (kept,
-- without memberships or grants, when they existed before or still own something).
CREATE OR REPLACE FUNCTION charter.retire_roles(keep text[]) RETURNS void
LANGUAGE plpgsql AS $f$
DECLARE r record;
BEGIN
  FOR r IN SELECT role_name, created FROM charter.managed_roles WHERE role_name <> ALL (keep) LOOP
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = r.role_name) THEN
      EXECUTE format('REVOKE ALL ON ALL FUNCTIONS IN SCHEMA charter FROM %I', r.role_name);
      EXECUTE format('REVOKE ALL ON SCHEMA charter FROM %I', r.role_name);
    END IF;
    IF r.created AND EXISTS (SELECT FROM pg_roles WHERE rolname = r.role_name) THEN
      BEGIN
        EXECUTE format('DROP ROLE %I', r.role_name);
      EXCEPTION WHEN dependent_objects_still_exist THEN
        RAISE NOTICE 'charter: role % is no longer in the model but still owns or is granted something elsewhere: left in place, without Charter grants', r.role_name;
      END;
    END IF;
    DELETE FROM charter.managed_roles WHERE role_name = r.role_name;
  END LOOP;
END $f$;
-- A physical table whose name a view takes is moved to schema ${MOVED_SCHEMA}, as "<schema>.<table>".
CREATE OR REPLACE FUNCTION charter.move_aside(s text, t text) RETURNS void
LANGUAGE plpgsql AS $f$
DECLARE k "char"; kw text;
BEGIN
  SELECT c.relkind INTO k FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = s AND c.relname = t;
  IF k IS NULL OR k = 'v' THEN RETURN; END IF;
  kw := CASE k WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END;
  CREATE SCHEMA IF NOT EXISTS ${MOVED_SCHEMA};
  REVOKE ALL ON SCHEMA ${MOVED_SCHEMA} FROM PUBLIC;
  EXECUTE format('ALTER %s %I.%I RENAME TO %I', kw, s, t, s || '.' || t);
  EXECUTE format('ALTER %s %I.%I SET SCHEMA ${MOVED_SCHEMA}', kw, s, s || '.' || t);
  RAISE NOTICE 'charter: moved table %.% to ${MOVED_SCHEMA}."%.%": the view %.% takes its name', s, t, s, t, s, t;
END $f$;
`);
  out.push(`-- ${roles.length} role${roles.length === 1 ? '' : 's'}: ${plan.groups.length} group${plan.groups.length === 1 ? '' : 's'}, ${plan.principals.length} principal${plan.principals.length === 1 ? '' : 's'}.`);
  for (const g of plan.groups) out.push(`SELECT charter.ensure_role(${pgString(g)});`);
  for (const p of plan.principals) out.push(`SELECT charter.ensure_role(${pgString(p.name)});`);
  out.push('');
  out.push(`-- Memberships (GRANT group TO principal): exactly these among the managed roles.`);
  out.push(`SELECT charter.sync_memberships(${arr(memberships.map((m) => m[0]))}, ${arr(memberships.map((m) => m[1]))});`);
  out.push(`SELECT charter.revoke_schema_usage();`);
  out.push(`SELECT charter.retire_roles(${arr(roles)});`);
  out.push('');
  out.push(`-- The views call the context and mask helpers as the principal reading them.`);
  out.push(`REVOKE ALL ON FUNCTION charter.ensure_role(text), charter.sync_memberships(text[], text[]), charter.revoke_schema_usage(), charter.retire_roles(text[]), charter.move_aside(text, text) FROM PUBLIC;`);
  if (plan.principals.length) {
    const ps = plan.principals.map((p) => pgIdent(p.name)).join(', ');
    out.push(`GRANT USAGE ON SCHEMA charter TO ${ps};`);
    out.push(`GRANT EXECUTE ON FUNCTION ${HELPERS.join(', ')} TO ${ps};`);
  }
  out.push('');
  // Subject attributes, typed, read by the views for current_user.
  out.push(`-- Subject attributes of the principals (NULL: not set, fails closed).`);
  out.push(`DROP TABLE IF EXISTS ${SUBJECT_TABLE};`);
  const cols = ['principal text PRIMARY KEY', ...plan.subject.map((a) => `${pgIdent(a.name)} ${sqlType(a)}`)];
  out.push(`CREATE TABLE ${SUBJECT_TABLE} (\n  ${cols.join(',\n  ')}\n);`);
  if (plan.principals.length) {
    const names = ['principal', ...plan.subject.map((a) => pgIdent(a.name))];
    const rows = plan.principals.map((p) => {
      const vals = plan.subject.map((a) => {
        const v = p.attributes.find(([k]) => k === a.name)?.[1];
        if (v === undefined) return 'NULL';
        if (a.type === 'number') return `${pgString(String(v))}::float8`;
        if (a.type === 'bool') return v ? 'true' : 'false';
        if (a.type === 'date') return `DATE ${pgString(String(v))}`;
        return pgString(String(v));
      });
      return `  (${[pgString(p.name), ...vals].join(', ')})`;
    });
    out.push(`INSERT INTO ${SUBJECT_TABLE} (${names.join(', ')}) VALUES\n${rows.join(',\n')};`);
  }
  if (moved.size) {
    out.push('');
    out.push(`-- Physical tables that a view takes the name of move to ${MOVED_SCHEMA} (once).`);
    for (const m of moved.values()) out.push(`SELECT charter.move_aside(${pgString(m.schema)}, ${pgString(m.table)});`);
  }
  void contracts;
  return out.join('\n') + '\n';
}

function envCte(plan: EnforcementPlan): string {
  const cols: string[] = [];
  for (const a of plan.subject) cols.push(`s.${pgIdent(a.name)} AS ${pgIdent(`subject.${a.name}`)}`);
  for (const a of plan.context) {
    const f =
      a.type === 'enum'
        ? `charter.context_enum(${pgString(a.name)}, ARRAY[${(a.values ?? []).map(pgString).join(', ')}]::text[])`
        : `charter.context_${a.type}(${pgString(a.name)})`;
    cols.push(`${f} AS ${pgIdent(`context.${a.name}`)}`);
  }
  return `env AS MATERIALIZED (
    SELECT${cols.length ? '\n      ' + cols.join(',\n      ') : ''}
    FROM (SELECT current_user::text AS principal) AS me
    LEFT JOIN ${SUBJECT_TABLE} AS s ON s.principal = me.principal
  )`;
}

function caseWhen(t: SqlConditions, branches: [Cond, string][], otherwise: string): string {
  const kept: [Cond, string][] = [];
  for (const [c, v] of branches) {
    if (c === false || c === ERROR) continue;
    kept.push([c, v]);
    if (c === true) break;
  }
  if (!kept.length) return otherwise;
  if (kept[0][0] === true) return kept[0][1];
  const last = kept[kept.length - 1];
  const tail = last[0] === true ? last[1] : otherwise;
  const whens = (last[0] === true ? kept.slice(0, -1) : kept).map(([c, v]) => `WHEN ${t.sql(c)} THEN ${v}`);
  return `CASE ${whens.join(' ')} ELSE ${tail} END`;
}

function viewSql(plan: EnforcementPlan, c: PlanContract, physical: string, view: string): string {
  const d = postgresDialect;
  const t = new SqlConditions(d, { subject: new Map(), context: new Map(), resource: { domain: '', owner: '', name: '', tags: [] } }, { id: c.name, source: '' });
  const decisions: string[] = [];
  const selects: string[] = [];
  const flags = new Map<string, string>(); // row filter id -> its audience column
  const audienceColumn = (id: string) => (aud: Cond): Cond => {
    let col = flags.get(id);
    if (!col) {
      col = `rows:${id}`;
      flags.set(id, col);
      decisions.push(`${t.sql(aud)} AS ${pgIdent(col)}`);
    }
    return { sql: `d.${pgIdent(col)}` };
  };
  for (const col of c.columns) {
    const dec = columnDecision(d, plan, c, col);
    const value = caseWhen(
      t,
      [
        [dec.denied, `'denied'`],
        [t.not(dec.allowed), `'denied'`],
        ...dec.masks.map((m) => [m.matches, pgString(m.method)] as [Cond, string]),
      ],
      `'clear'`,
    );
    decisions.push(`${value} AS ${pgIdent(col.name)}`);
    const dc = `d.${pgIdent(col.name)}`;
    const raw = `t.${pgIdent(col.name)}`;
    let expr = col.textMasks
      ? `CASE ${dc} WHEN 'clear' THEN ${raw}::text WHEN 'hash' THEN charter.mask_hash(${raw}::text) WHEN 'redact' THEN charter.mask_redact(${raw}::text) WHEN 'partial' THEN charter.mask_partial(${raw}::text) END`
      : `CASE WHEN ${dc} = 'clear' THEN ${raw} END`;
    let keep: Cond = true;
    for (const r of col.rowFilters) keep = t.junction('and', keep, rowKept(d, plan, c, col, r, audienceColumn(r.id)));
    if (keep !== true) expr = keep === false || keep === ERROR ? `CASE WHEN FALSE THEN ${expr} END` : `CASE WHEN ${t.sql(keep)} THEN ${expr} END`;
    selects.push(`${expr} AS ${pgIdent(col.name)}`);
  }
  let where: Cond = true;
  for (const r of c.rowFilters) where = t.junction('and', where, rowKept(d, plan, c, undefined, r, audienceColumn(r.id)));
  const comments = [
    ...c.columns.flatMap((col) => col.rules.map((r) => `--   ${col.name}: ${r.id} ${r.text} (${r.source})`)),
    ...c.columns.flatMap((col) => col.rowFilters.map((r) => `--   ${col.name} rows: ${r.id} ${r.text} (${r.source})`)),
    ...c.rowFilters.map((r) => `--   rows: ${r.id} ${r.text} (${r.source})`),
  ];
  const whereSql = where === true ? '' : `\nWHERE ${t.sql(where)}`; // never NULL: NOT audience OR filter IS TRUE
  return `-- contract ${c.name}: view ${view} over ${physical}
${comments.length ? comments.join('\n') : '--   no rule applies: every column is denied (default deny)'}
CREATE VIEW ${view} WITH (security_barrier = true) AS
WITH
  ${envCte(plan)},
  decision AS MATERIALIZED (
    SELECT${decisions.length ? '\n      ' + decisions.join(',\n      ') : ''}
    FROM env AS e
  )
SELECT${selects.length ? '\n  ' + selects.join(',\n  ') : ''}
FROM ${physical} AS t CROSS JOIN env AS e CROSS JOIN decision AS d${whereSql};
`;
}

export function exportPostgres(model: Model, opts: PlanOptions = {}): SqlExport {
  return printPostgres(buildPlan(model, opts));
}

export function printPostgres(plan: EnforcementPlan): SqlExport {
  const errors: string[] = [];
  const notes: string[] = [];
  const { picked, skipped: skippedOther } = pickContracts(plan, ['postgres', 'postgresql'], 'postgres');
  const skipped = [...skippedOther];
  const contracts: { c: PlanContract; phys: { schema: string; table: string } }[] = [];
  for (const c of picked) {
    const phys = physicalTable(c.source!.location);
    if (!phys) {
      errors.push(`contract ${c.name}: source postgres "${c.source!.location}" does not name schema.table: the PostgreSQL export cannot tell its physical table`);
      continue;
    }
    contracts.push({ c, phys });
  }
  for (const g of plan.groups) checkName(errors, 'group', g, true);
  for (const p of plan.principals) checkName(errors, 'principal', p.name, true);
  const lower = new Map<string, string>();
  for (const a of plan.context) {
    const k = a.name.toLowerCase();
    if (lower.has(k)) errors.push(`context attributes ${lower.get(k)} and ${a.name}: PostgreSQL settings ignore case, so both would be charter.${k}: the PostgreSQL export cannot express it`);
    lower.set(k, a.name);
    if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(a.name)) errors.push(`context attribute ${a.name}: a PostgreSQL setting name (charter.${a.name}) takes only letters, digits, _ and $: the PostgreSQL export cannot express it`);
  }
  for (const { c } of contracts) {
    checkName(errors, 'domain', c.domain, false);
    if (c.domain === 'charter' || c.domain === MOVED_SCHEMA) errors.push(`domain ${c.domain}: the PostgreSQL export keeps its own objects in schema ${c.domain}: the PostgreSQL export cannot put views there`);
    checkName(errors, 'contract', c.name.slice(c.domain.length + 1), false);
    for (const col of c.columns) checkName(errors, `column ${c.name}.`, col.name, false);
  }
  // A view that takes a physical table's name moves that table aside.
  const viewNames = new Set(contracts.map(({ c }) => `${c.domain}\u0000${c.product}`));
  const moved = new Map<string, { schema: string; table: string }>();
  for (const { phys } of contracts) {
    const key = `${phys.schema}\u0000${phys.table}`;
    if (viewNames.has(key) && !moved.has(key)) moved.set(key, phys);
  }
  for (const m of moved.values()) notes.push(`the view ${m.schema}.${m.table} takes the name of its physical table: applying moves the table to ${MOVED_SCHEMA}."${m.schema}.${m.table}" (writers must use that name)`);
  const physicalName = (p: { schema: string; table: string }) =>
    moved.has(`${p.schema}\u0000${p.table}`) ? `${MOVED_SCHEMA}.${pgIdent(`${p.schema}.${p.table}`)}` : `${pgIdent(p.schema)}.${pgIdent(p.table)}`;

  const byDomain = new Map<string, typeof contracts>();
  for (const x of contracts) {
    const l = byDomain.get(x.c.domain);
    if (l) l.push(x);
    else byDomain.set(x.c.domain, [x]);
  }
  const domains = [...byDomain.keys()].sort();
  const managedRoles = [...plan.groups, ...plan.principals.map((p) => p.name)];
  const files: SqlFile[] = [];
  const count = domains.length;
  files.push({ name: numbered(0, count, 'roles'), sql: rolesFile(plan, contracts.map((x) => x.c), moved), summary: `${plan.groups.length} group and ${plan.principals.length} principal roles, memberships, subject attributes` });
  domains.forEach((domain, i) => {
    const list = byDomain.get(domain)!;
    const out: string[] = [HEADER(`Domain ${domain}: ${list.length} view${list.length === 1 ? '' : 's'}.`)];
    out.push(`CREATE SCHEMA IF NOT EXISTS ${pgIdent(domain)};`);
    out.push(`INSERT INTO charter.managed_schemas VALUES (${pgString(domain)}) ON CONFLICT DO NOTHING;`);
    const readers = new Set<string>();
    for (const { c, phys } of list) {
      const view = `${pgIdent(c.domain)}.${pgIdent(c.product)}`;
      const physical = physicalName(phys);
      const sql = collect(errors, () => viewSql(plan, c, physical, view));
      if (sql === undefined) continue;
      out.push('');
      out.push(sql.trimEnd());
      out.push(`COMMENT ON VIEW ${view} IS ${pgString(`Generated by charter export postgres from contract ${c.name}: what each principal may read of ${physical.replace(/"/g, '')}.`)};`);
      out.push(`INSERT INTO charter.managed_views VALUES (${pgString(c.domain)}, ${pgString(c.product)});`);
      if (managedRoles.length) out.push(`REVOKE ALL ON ${physical} FROM PUBLIC, ${managedRoles.map(pgIdent).join(', ')};`);
      if (c.readers.length) out.push(`GRANT SELECT ON ${view} TO ${c.readers.map(pgIdent).join(', ')};`);
      for (const r of c.readers) readers.add(r);
    }
    if (readers.size) out.push('', `GRANT USAGE ON SCHEMA ${pgIdent(domain)} TO ${[...readers].map(pgIdent).join(', ')};`);
    files.push({ name: numbered(i + 1, count, domain), sql: out.join('\n') + '\n', summary: `domain ${domain}: ${list.map((x) => `view ${x.c.name}`).join(', ')}` });
  });
  return { engine: 'postgres', files, skipped, errors, notes };
}

/** The files as one script, in apply order, in one transaction (what `charter export postgres` prints without --out). */
export function postgresScript(ex: SqlExport): string {
  return `BEGIN;\n\n${ex.files.map((f) => `-- ==== ${f.name}\n${f.sql}`).join('\n')}\nCOMMIT;\n`;
}
