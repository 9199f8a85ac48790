import { randomUUID } from 'node:crypto';

/** What a consumer's `actsOn` and its handler make of every known event. */
export interface PassOver {
  /** The `type@version`s the predicate lets through to the handler (and its bookkeeping). */
  acted: string[];
  /** Dependencies the handler called for an event the predicate passes over: none, or it hides one. */
  touched: string[];
  /** Errors the handler threw for an event passed over: none, or it hides one. */
  thrown: string[];
  /** Whether a version after the last known of each acted type still reaches the handler (for the DLQ). */
  newerVersionsActed: boolean;
}

const envelopeOf = (typeVersion: string) => {
  const [type, version] = typeVersion.split('@');
  return {
    id: randomUUID(),
    type: type!,
    version: Number(version),
    source: 'test',
    subject: 'subject-1',
    occurredAt: new Date().toISOString(),
    correlationId: randomUUID(),
    causationId: null,
    actor: { kind: 'system', name: 'test' },
    data: {},
  };
};

/**
 * Dependencies that record each call made through them, by path (`pilots.start`), at any depth;
 * every call answers a promise of undefined.
 */
function recordingDependencies(calls: string[]): unknown {
  const at = (path: string): unknown =>
    new Proxy(() => undefined, {
      get: (_target, key) => (key === 'then' ? undefined : at(path ? `${path}.${String(key)}` : String(key))),
      apply: () => {
        calls.push(path);
        return Promise.resolve(undefined);
      },
    });
  return at('');
}

/**
 * Gives the handler, built on recording dependencies, an envelope (empty payload) of each known
 * `type@version` its consumer's `actsOn` passes over, and reports what it did with them.
 */
export async function passOver<E, D>(
  typeVersions: readonly string[],
  actsOn: (event: E) => boolean,
  handlerOf: (dependencies: D) => (event: E) => Promise<void>,
): Promise<PassOver> {
  const touched: string[] = [];
  const handle = handlerOf(recordingDependencies(touched) as D);
  const acted: string[] = [];
  const thrown: string[] = [];
  for (const typeVersion of typeVersions) {
    const event = envelopeOf(typeVersion) as E;
    if (actsOn(event)) {
      acted.push(typeVersion);
      continue;
    }
    await handle(event).catch((error: unknown) => thrown.push(`${typeVersion}: ${String(error)}`));
  }
  const newerVersionsActed = acted.every((typeVersion) =>
    actsOn(envelopeOf(typeVersion.replace(/@\d+$/, '@99')) as E),
  );
  return { acted, touched, thrown, newerVersionsActed };
}
