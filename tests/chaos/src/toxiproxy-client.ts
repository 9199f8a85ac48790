/**
 * The part of Toxiproxy's HTTP API (https://github.com/Shopify/toxiproxy#http-api) the harness
 * uses: proxies in front of the stack, and toxics (faults) on them.
 */

/** The toxics the harness puts on a proxy, with the attributes each takes. */
export type ToxicSpec =
  /** Delays every chunk by `latency` ms, give or take `jitter`. */
  | { type: 'latency'; attributes: { latency: number; jitter: number } }
  /** Stops all data; closes the connection after `timeout` ms (never, with 0). */
  | { type: 'timeout'; attributes: { timeout: number } }
  /** Resets the connection (TCP RST) after `timeout` ms. */
  | { type: 'reset_peer'; attributes: { timeout: number } };

export type Stream = 'upstream' | 'downstream';

export interface Proxy {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
}

export class Toxiproxy {
  constructor(private readonly url: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(5_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`Toxiproxy ${method} ${path} answered ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  createProxy(name: string, listen: string, upstream: string): Promise<Proxy> {
    return this.call('POST', '/proxies', { name, listen, upstream, enabled: true });
  }

  /** A disabled proxy refuses new connections and closes the open ones: a partition. */
  setEnabled(name: string, enabled: boolean): Promise<Proxy> {
    return this.call('PATCH', `/proxies/${name}`, { enabled });
  }

  async addToxic(proxy: string, name: string, stream: Stream, toxic: ToxicSpec): Promise<void> {
    await this.call('POST', `/proxies/${proxy}/toxics`, { name, stream, toxicity: 1, ...toxic });
  }

  async removeToxic(proxy: string, name: string): Promise<void> {
    await this.call('DELETE', `/proxies/${proxy}/toxics/${name}`);
  }

  /** Every proxy enabled again and every toxic removed. */
  async reset(): Promise<void> {
    await this.call('POST', '/reset');
  }
}
