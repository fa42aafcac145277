// Running an export on the test server and reading a view as a principal.

import type pg from 'pg';
import { pgIdent, pgString } from '../../grammar/export/postgres';
import { sqlScript, type SqlExport } from '../../grammar/export/sql';
import type { ContractSym, Model } from '../../grammar/index';
import { pgType, type Row } from './expect';

export async function apply(c: pg.Client, ex: SqlExport): Promise<void> {
  if (ex.errors.length) throw new Error(`the export has errors:\n${ex.errors.join('\n')}`);
  await c.query(sqlScript(ex));
}

/** Creates (again) a physical table for a contract, with rows given as text. */
export async function createTable(c: pg.Client, contract: ContractSym, schema: string, table: string, rows: Row[]): Promise<void> {
  const fields = [...contract.fields.values()];
  await c.query(`CREATE SCHEMA IF NOT EXISTS ${pgIdent(schema)}`);
  await c.query(`DROP TABLE IF EXISTS ${pgIdent(schema)}.${pgIdent(table)}`);
  await c.query(`CREATE TABLE ${pgIdent(schema)}.${pgIdent(table)} (${fields.map((f) => `${pgIdent(f.name)} ${pgType(f.type)}`).join(', ')})`);
  for (const r of rows) {
    await c.query(`INSERT INTO ${pgIdent(schema)}.${pgIdent(table)} VALUES (${fields.map((_, i) => `$${i + 1}`).join(', ')})`, r);
  }
}

/** A table's rows, each column as its text form. */
export async function readTable(c: pg.Client, qualified: string, columns: string[]): Promise<Row[]> {
  const sel = columns.length ? columns.map((n) => `${pgIdent(n)}::text`).join(', ') : '1';
  const r = await c.query({ text: `SELECT ${sel} FROM ${qualified}`, rowMode: 'array' });
  return columns.length ? (r.rows as Row[]) : r.rows.map(() => []);
}

export type ViewResult = { rows: Row[] } | { denied: string };

/** Reads a contract's view as a principal in a context (settings charter.X; undefined = unset). */
export async function readView(c: pg.Client, model: Model, principal: string, context: [string, string | undefined][], contract: ContractSym): Promise<ViewResult> {
  const settings = context.map(([k, v]) => `set_config(${pgString('charter.' + k)}, ${pgString(v ?? '')}, false)`);
  await c.query(`SET ROLE ${pgIdent(principal)};${settings.length ? ` SELECT ${settings.join(', ')};` : ''}`);
  try {
    const [domain, ...rest] = [contract.domain, contract.name.slice(contract.domain.length + 1)];
    return { rows: await readTable(c, `${pgIdent(domain)}.${pgIdent(rest.join('.'))}`, [...contract.fields.keys()]) };
  } catch (e) {
    const err = e as { code?: string; message: string };
    if (err.code === '42501') return { denied: err.message };
    throw e;
  } finally {
    await c.query('RESET ROLE');
    void model;
  }
}
