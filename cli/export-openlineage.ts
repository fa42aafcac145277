// `charter export openlineage [DIR] [--out FILE] [--url URL] [--namespace NS] [--retries N]`:
// OpenLineage RunEvents, one per contract (grammar/interop/openlineage.ts),
// as JSON Lines in FILE (or on stdout), and/or POSTed one by one to URL
// (Marquez: http://host:5000/api/v1/lineage). OPENLINEAGE_API_KEY, when set,
// is sent as a bearer token. A POST that still fails after its retries stops
// the export: exit 2, saying which event and why, and how many were sent.

import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { openLineageEvents } from '../grammar/interop/openlineage';
import { postJson, PostError } from '../host/http';
import { UsageError } from './errors';
import { VERSION } from './main';
import type { Exporter } from './export';

export const PRODUCER = `https://charter.invalid/cli/${VERSION}`;

export const openLineageExporter: Exporter = {
  usage: 'openlineage [DIR] [--out FILE] [--url URL] [--namespace NS] [--retries N]',
  options: { url: { type: 'string' }, namespace: { type: 'string', default: 'charter' }, retries: { type: 'string', default: '3' } },
  checkOptions(values) {
    if (values.url !== undefined) {
      let u: URL;
      try {
        u = new URL(String(values.url));
      } catch {
        throw new UsageError(`--url ${values.url} is not a URL (for Marquez: http://localhost:5000/api/v1/lineage)`);
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`--url must be http or https, not ${u.protocol}`);
    }
    if (!/^\d+$/.test(String(values.retries)) || Number(values.retries) > 10) throw new UsageError(`--retries is a number from 0 to 10, not '${values.retries}'`);
    if (!String(values.namespace).trim()) throw new UsageError('--namespace needs a name');
  },
  async run({ analysis }, values) {
    const events = openLineageEvents(analysis.model, {
      namespace: String(values.namespace),
      producer: PRODUCER,
      eventTime: new Date().toISOString(),
      runId: () => randomUUID(),
    });
    const lines = events.map((e) => JSON.stringify(e));
    const url = values.url as string | undefined;
    if (values.out !== undefined) {
      const out = path.resolve(values.out as string);
      try {
        writeFileSync(out, lines.map((l) => l + '\n').join(''));
      } catch (e) {
        throw new UsageError(`cannot write ${out}: ${(e as Error).message}`);
      }
      process.stderr.write(`wrote ${path.relative(process.cwd(), out) || out} (${events.length} OpenLineage event${events.length === 1 ? '' : 's'}, JSON Lines)\n`);
    } else if (url === undefined) {
      process.stdout.write(lines.map((l) => l + '\n').join(''));
    }
    if (url === undefined) return 0;
    const key = process.env.OPENLINEAGE_API_KEY;
    const headers = key ? { authorization: `Bearer ${key}` } : undefined;
    let retried = 0;
    for (let i = 0; i < lines.length; i++) {
      const job = (events[i].job as { name: string }).name;
      try {
        const r = await postJson(url, lines[i], { retries: Number(values.retries), headers });
        retried += r.attempts - 1;
      } catch (e) {
        const why = e instanceof PostError ? e.message : (e as Error).message;
        process.stderr.write(`charter export: POST ${url} failed for ${job}: ${why}\n`);
        process.stderr.write(`charter export: ${i} of ${lines.length} event${lines.length === 1 ? '' : 's'} sent; the rest were not (fix the endpoint and run the export again: events are idempotent per contract)\n`);
        return 2;
      }
    }
    process.stderr.write(`sent ${lines.length} OpenLineage event${lines.length === 1 ? '' : 's'} to ${url}${retried ? ` (${retried} retr${retried === 1 ? 'y' : 'ies'})` : ''}\n`);
    return 0;
  },
};
