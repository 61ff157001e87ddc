import { Socket } from 'node:net';
import type { IncomingMessage } from 'node:http';
import express from 'express';
import { clientAddressOf, compileTrustProxy, type TrustProxySetting } from './client-address';

const requestFrom = (peer: string, forwardedFor?: string) => {
  const socket = new Socket();
  Object.defineProperty(socket, 'remoteAddress', { value: peer });
  return { socket, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} } as unknown as IncomingMessage;
};

// Express's own answer (req.ip) for the same request and setting: the helper must never disagree.
function expressIp(setting: TrustProxySetting, request: IncomingMessage): string | undefined {
  const app = express();
  app.set('trust proxy', setting);
  const req = Object.create(app.request, { app: { value: app }, socket: { value: request.socket }, headers: { value: request.headers } });
  return req.ip;
}

describe('clientAddressOf', () => {
  test.each<[string, TrustProxySetting, string, string | undefined, string]>([
    ['loopback proxy: the forwarded client', 'loopback', '127.0.0.1', '203.113.152.77', '203.113.152.77'],
    ['loopback proxy, IPv6 peer', 'loopback', '::1', '203.113.152.77', '203.113.152.77'],
    ['loopback proxy, two hops: the last untrusted one', 'loopback', '127.0.0.1', '14.161.22.9, 203.113.152.77', '203.113.152.77'],
    ['a client that is not a proxy cannot pretend', 'loopback', '203.113.152.77', '10.0.0.1', '203.113.152.77'],
    ['trust nobody: the peer', false, '127.0.0.1', '203.113.152.77', '127.0.0.1'],
    ['one hop', 1, '10.0.0.5', '14.161.22.9, 203.113.152.77', '203.113.152.77'],
    ['a subnet list', '10.0.0.0/8, 172.16.0.0/12', '10.0.0.5', '14.161.22.9, 172.16.4.2', '14.161.22.9'],
    ['no header: the peer', 'loopback', '127.0.0.1', undefined, '127.0.0.1'],
  ])('%s', (_case, setting, peer, forwardedFor, expected) => {
    const request = requestFrom(peer, forwardedFor);
    expect(clientAddressOf(request, compileTrustProxy(setting))).toBe(expected);
    expect(expressIp(setting, request)).toBe(expected);
  });
});
