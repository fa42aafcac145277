// Service levels between Charter's `sla { ... }` block and ODCS
// `slaProperties` (value + unit), both ways. docs/interop.md has the table.

/** The Charter sla entries and what their values are. */
export const SLA_KINDS = {
  freshness: 'duration',
  availability: 'percent',
  retention: 'duration',
  latency: 'duration',
  encryption: 'encryption',
  escalation: 'string',
  support: 'string',
} as const;
export type SlaKey = keyof typeof SLA_KINDS;

/** ODCS `property` → Charter sla entry. Charter's own names come back as they went out. */
export const ODCS_SLA_TO_CHARTER: Record<string, SlaKey> = {
  freshness: 'freshness',
  frequency: 'freshness',
  availability: 'availability',
  retention: 'retention',
  latency: 'latency',
  encryption: 'encryption',
  escalation: 'escalation',
  support: 'support',
};

/** Units Charter durations take, by every spelling ODCS files use (ISO-ish; `m` is minutes, as in Charter). */
const UNITS: Record<string, string> = {
  ms: 'ms', millisecond: 'ms', milliseconds: 'ms',
  s: 's', sec: 's', secs: 's', second: 's', seconds: 's',
  m: 'm', min: 'm', mins: 'm', minute: 'm', minutes: 'm',
  h: 'h', hr: 'h', hrs: 'h', hour: 'h', hours: 'h',
  d: 'd', day: 'd', days: 'd',
  w: 'w', wk: 'w', week: 'w', weeks: 'w',
  y: 'y', yr: 'y', yrs: 'y', year: 'y', years: 'y',
};
/** Units with no Charter spelling, converted (and reported as approximate). */
const APPROX: Record<string, [number, string]> = { mo: [30, 'd'], mon: [30, 'd'], month: [30, 'd'], months: [30, 'd'] };
/** How Charter's duration units are written in ODCS (unambiguous: `min`, not `m`, which some read as months). */
const UNIT_OUT: Record<string, string> = { ms: 'ms', s: 's', m: 'min', h: 'h', d: 'd', w: 'w', y: 'y' };

export type SlaValue = { text: string; note?: string } | { error: string };

function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

function numText(n: number): string {
  return Number.isInteger(n) ? String(n) : String(n);
}

/** An ISO 8601 duration (`P1Y`, `P30D`, `PT15M`, `P1DT12H`) → a Charter duration. */
function isoDuration(s: string): SlaValue | undefined {
  const m = /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(s.trim());
  if (!m || !m.slice(1).some((x) => x !== undefined)) return undefined;
  const parts: [string | undefined, string, number][] = [
    [m[1], 'y', 31536000], [m[2], 'mo', 2592000], [m[3], 'w', 604800], [m[4], 'd', 86400], [m[5], 'h', 3600], [m[6], 'm', 60], [m[7], 's', 1],
  ];
  const present = parts.filter(([v]) => v !== undefined);
  if (present.length === 1 && present[0][1] !== 'mo') return { text: `${Number(present[0][0])}${present[0][1]}` };
  // Several parts (or months): in the largest Charter unit that keeps it whole.
  const seconds = present.reduce((n, [v, , k]) => n + Number(v) * k, 0);
  const unit = (['d', 'h', 'm', 's'] as const).find((u) => seconds % { d: 86400, h: 3600, m: 60, s: 1 }[u] === 0) ?? 's';
  const n = seconds / { d: 86400, h: 3600, m: 60, s: 1 }[unit];
  return { text: `${n}${unit}`, note: present.some(([, u]) => u === 'mo') ? `${s} taken as ${n}${unit} (a month is 30 days)` : `${s} → ${n}${unit}` };
}

/** ODCS value + unit → a Charter duration (`4d`, `3y`, `15m`). */
export function durationFromOdcs(value: unknown, unit: unknown): SlaValue {
  if (typeof value === 'string' && /^\s*P/i.test(value) && (unit === undefined || unit === null)) {
    const iso = isoDuration(value);
    if (iso) return iso;
  }
  if (typeof value === 'string' && unit === undefined) {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*$/.exec(value);
    if (m) return durationFromOdcs(Number(m[1]), m[2]);
  }
  const n = numberOf(value);
  if (n === undefined || n < 0) return { error: `${JSON.stringify(value)} is not a number of time units` };
  if (unit === undefined || unit === null) return { error: `no unit (d, h, min, ...) for ${numText(n)}` };
  const u = String(unit).trim().toLowerCase();
  if (UNITS[u]) return { text: `${numText(n)}${UNITS[u]}` };
  if (APPROX[u]) {
    const [k, to] = APPROX[u];
    return { text: `${numText(n * k)}${to}`, note: `${numText(n)} ${unit} taken as ${numText(n * k)}${to}` };
  }
  return { error: `unknown time unit '${unit}'` };
}

/** `99.9` (unit `%` or none) or `"99.9%"` → `99.9%`. */
export function percentFromOdcs(value: unknown, unit: unknown): SlaValue {
  const s = typeof value === 'string' ? value.trim().replace(/%$/, '') : value;
  const n = numberOf(s);
  if (n === undefined || n < 0 || n > 100) return { error: `${JSON.stringify(value)} is not a percentage` };
  if (unit !== undefined && unit !== null && !['%', 'percent', 'pct'].includes(String(unit).trim().toLowerCase())) return { error: `unit '${unit}' is not a percentage` };
  return { text: `${numText(n)}%` };
}

/** A Charter duration literal → ODCS value + unit. */
export function durationToOdcs(text: string): { value: number; unit: string } {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)$/.exec(text);
  if (!m) return { value: Number.parseFloat(text), unit: text.replace(/^[\d.]+/, '') };
  return { value: Number(m[1]), unit: UNIT_OUT[m[2]] };
}
