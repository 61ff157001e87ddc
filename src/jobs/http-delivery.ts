// Delivering a record to a national system over HTTP, at least once: the record's id is the
// idempotency key, so the peer tells a retry from a new message. One implementation for every
// outbox (the public-service portal's status changes, documents sent to recipients outside the
// platform): how a reply settles a record, and how long to wait before trying again.

export interface DeliverySettings {
  url: string;
  timeoutMs: number;
  retryBaseMs: number;
  maxAttempts: number;
}

export type SendOutcome = { kind: 'acknowledged'; reply: string } | { kind: 'rejected'; reply: string } | { kind: 'retry'; error: string };

/** Pure: how a reply settles a record. 2xx acknowledged; 4xx rejected except 408/409/425/429, which, like 5xx, are worth a retry. */
export function outcomeOfReply(status: number, body: string): SendOutcome {
  if (status >= 200 && status < 300) return { kind: 'acknowledged', reply: body };
  if (status >= 400 && status < 500 && ![408, 409, 425, 429].includes(status)) return { kind: 'rejected', reply: `${status} ${body}` };
  return { kind: 'retry', error: `${status} ${body}` };
}

/** Pure: the wait before attempt `attempts + 1` (exponential, capped at an hour). */
export const retryDelayMs = (attempts: number, baseMs: number) => Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 3_600_000);

export const clip = (text: string) => (text.length > 2000 ? `${text.slice(0, 2000)}…` : text);

/**
 * POSTs `body` (JSON text, or a stream of its parts for a large one) with the record's id as
 * Idempotency-Key, within the timeout; any failure to get a reply is worth a retry.
 */
export async function deliver(settings: Pick<DeliverySettings, 'url' | 'timeoutMs'>, id: string, body: string | AsyncIterable<string>): Promise<SendOutcome> {
  try {
    const streamed = typeof body !== 'string';
    const response = await fetch(settings.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': id },
      body: streamed ? (ReadableStream.from(encoded(body)) as unknown as string) : body,
      signal: AbortSignal.timeout(settings.timeoutMs),
      ...(streamed ? { duplex: 'half' } : {}),
    } as RequestInit);
    return outcomeOfReply(response.status, clip(await response.text()));
  } catch (error) {
    return { kind: 'retry', error: clip(error instanceof Error ? `${error.name}: ${error.message}${error.cause ? ` (${String((error.cause as Error).message ?? error.cause)})` : ''}` : String(error)) };
  }
}

async function* encoded(parts: AsyncIterable<string>): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for await (const part of parts) yield encoder.encode(part);
}
