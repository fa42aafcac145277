// Sending JSON to an HTTP endpoint (OpenLineage collectors such as
// Marquez's /api/v1/lineage), with bounded retries. The only network code of
// the project.
//
// Retried: network errors, timeouts, 408, 429 and 5xx — up to `retries`
// times, waiting 250 ms, 500 ms, 1 s, ... (capped at 5 s; a Retry-After
// header up to 10 s is honoured). Not retried: any other answer (a 4xx says
// the request itself is wrong; a redirect is reported, not followed, since
// it would turn the POST into a GET).

export interface PostOptions {
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** First wait between attempts, doubled each time (default 250 ms). */
  baseDelayMs?: number;
  /** Per attempt (default 10 s). */
  timeoutMs?: number;
  headers?: Record<string, string>;
}

export interface PostResult {
  status: number;
  attempts: number;
}

export class PostError extends Error {
  constructor(message: string, readonly attempts: number, readonly status?: number) {
    super(message);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** POSTs `body` (JSON text) to `url`; resolves on a 2xx answer, rejects with a PostError saying what went wrong. */
export async function postJson(url: string, body: string, opts: PostOptions = {}): Promise<PostResult> {
  const retries = Math.max(0, opts.retries ?? 3);
  const base = opts.baseDelayMs ?? 250;
  let last = '';
  let lastStatus: number | undefined;
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    let wait = Math.min(5000, base * 2 ** (attempt - 1));
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(opts.headers ?? {}) },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      const text = await res.text().catch(() => '');
      if (res.status >= 200 && res.status < 300) return { status: res.status, attempts: attempt };
      lastStatus = res.status;
      const detail = text.trim().replace(/\s+/g, ' ').slice(0, 200);
      if (res.status >= 300 && res.status < 400) {
        throw new PostError(`HTTP ${res.status}: redirected to ${res.headers.get('location') ?? '(no location)'}; use that URL`, attempt, res.status);
      }
      last = `HTTP ${res.status}${res.statusText ? ' ' + res.statusText : ''}${detail ? `: ${detail}` : ''}`;
      if (!retryable(res.status)) throw new PostError(last, attempt, res.status);
      const after = Number(res.headers.get('retry-after'));
      if (Number.isFinite(after) && after > 0) wait = Math.min(10_000, after * 1000);
    } catch (e) {
      if (e instanceof PostError) throw e;
      const err = e as Error & { cause?: { code?: string; message?: string } };
      last = err.name === 'TimeoutError' ? `no answer within ${(opts.timeoutMs ?? 10_000) / 1000} s` : `${err.cause?.code ?? err.cause?.message ?? err.message}`;
      lastStatus = undefined;
    }
    if (attempt <= retries) await sleep(wait);
  }
  throw new PostError(`${last} (after ${retries + 1} attempt${retries ? 's' : ''})`, retries + 1, lastStatus);
}
