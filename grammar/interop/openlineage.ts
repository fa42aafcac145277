// `charter export openlineage`: one OpenLineage RunEvent per contract, whose
// output dataset (the contract) carries the schema, ownership, documentation,
// tags and columnLineage facets, and whose inputs are the contracts its
// fields come `from`. Pure: the event time and run ids are given.
//
// Why RunEvents (a COMPLETE event of a job named after the contract), not the
// run-less DatasetEvents spec 2-0-2 also has: Marquez has accepted
// DatasetEvents at /api/v1/lineage without storing them (static lineage,
// MarquezProject/marquez#2544), some consumers refuse them (Dataplex), and
// every consumer turns RunEvents into datasets, facets and edges.
// docs/interop.md describes the events.

import { PROTECTING, type Model, type Transform } from '../model/types';
import { contractViews, type ContractView } from './contract-view';

export const OPENLINEAGE_SCHEMA_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
export const FACET_SCHEMA_URLS = {
  schema: 'https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet',
  ownership: 'https://openlineage.io/spec/facets/1-0-1/OwnershipDatasetFacet.json#/$defs/OwnershipDatasetFacet',
  documentation: 'https://openlineage.io/spec/facets/1-1-0/DocumentationDatasetFacet.json#/$defs/DocumentationDatasetFacet',
  tags: 'https://openlineage.io/spec/facets/1-0-0/TagsDatasetFacet.json#/$defs/TagsDatasetFacet',
  columnLineage: 'https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet',
} as const;

export interface OpenLineageOptions {
  /** Namespace of the datasets and jobs (default `charter`). */
  namespace?: string;
  /** URI of the producer (the Charter CLI and its version). */
  producer: string;
  /** ISO 8601 time of every event. */
  eventTime: string;
  /** A UUID for the run of each contract's job. */
  runId: (contract: string) => string;
}

type Obj = Record<string, unknown>;

/** How a Charter transform reads in column lineage: DIRECT copies and computations; aggregates are INDIRECT (no value of one row reaches the field, so no tag does either). */
export function transformation(t: Transform): { type: 'DIRECT' | 'INDIRECT'; subtype: string; description: string; masking: boolean } {
  if (t === 'aggregate') return { type: 'INDIRECT', subtype: 'AGGREGATION', description: 'aggregate', masking: false };
  if (t === 'copy') return { type: 'DIRECT', subtype: 'IDENTITY', description: 'copy', masking: false };
  return { type: 'DIRECT', subtype: 'TRANSFORMATION', description: t, masking: PROTECTING.has(t) };
}

function contractOf(qname: string): { contract: string; field: string } {
  const i = qname.lastIndexOf('.');
  return { contract: qname.slice(0, i), field: qname.slice(i + 1) };
}

export function datasetFacets(c: ContractView, namespace: string, producer: string): Obj {
  const base = (k: keyof typeof FACET_SCHEMA_URLS) => ({ _producer: producer, _schemaURL: FACET_SCHEMA_URLS[k] });
  const facets: Obj = {
    schema: {
      ...base('schema'),
      fields: c.fields.map((f, i) => ({ name: f.name, type: f.typeText, ...(f.doc ? { description: f.doc } : {}), ordinal_position: i + 1 })),
    },
    ownership: { ...base('ownership'), owners: c.owner ? [{ name: `team:${c.owner}`, type: 'OWNER' }] : [] },
  };
  if (c.doc) facets.documentation = { ...base('documentation'), description: c.doc, contentType: 'text/markdown' };
  facets.tags = {
    ...base('tags'),
    tags: c.fields.flatMap((f) => f.tags.map((t) => ({ key: t.tag, value: t.declared ? 'declared' : t.protected ? 'protected' : 'inherited', source: 'CHARTER', field: f.name }))),
  };
  const fields: Obj = {};
  for (const f of c.fields) {
    if (!f.sources.length) continue;
    fields[f.name] = {
      inputFields: f.sources.map((s) => {
        const { contract, field } = contractOf(s);
        return { namespace, name: contract, field, transformations: [transformation(f.transform)] };
      }),
    };
  }
  facets.columnLineage = { ...base('columnLineage'), fields };
  return facets;
}

export function openLineageEvents(model: Model, opts: OpenLineageOptions): Obj[] {
  const namespace = opts.namespace ?? 'charter';
  return contractViews(model).map((c) => {
    const inputs = [...new Set(c.fields.flatMap((f) => f.sources.map((s) => contractOf(s).contract)))].filter((n) => n !== c.name).sort();
    return {
      eventType: 'COMPLETE',
      eventTime: opts.eventTime,
      producer: opts.producer,
      schemaURL: OPENLINEAGE_SCHEMA_URL,
      run: { runId: opts.runId(c.name) },
      job: { namespace, name: c.name },
      inputs: inputs.map((name) => ({ namespace, name })),
      outputs: [{ namespace, name: c.name, facets: datasetFacets(c, namespace, opts.producer) }],
    };
  });
}
