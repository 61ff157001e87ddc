// The client's address, the same for HTTP and WebSocket: a tracking guess counts against the person
// who sent it whichever way it came. Behind a proxy the socket's peer is the proxy itself, so its
// X-Forwarded-For is believed as far as TRUST_PROXY says, by the rule express applies to `req.ip`.
import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

export type TrustProxySetting = boolean | number | string;
export type TrustProxy = (address: string, hop: number) => boolean;

/** TRUST_PROXY as express compiles it: true, a hop count, or comma-separated names and subnets. */
export function compileTrustProxy(setting: TrustProxySetting): TrustProxy {
  if (setting === true) return () => true;
  if (setting === false) return () => false;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return proxyAddr.compile(setting.split(',').map((part) => part.trim()));
}

/** The nearest address not trusted as a proxy ('unknown' for a socket already gone). */
export function clientAddressOf(request: IncomingMessage, trust: TrustProxy): string {
  if (!request.socket.remoteAddress) return 'unknown';
  return proxyAddr(request, trust);
}
