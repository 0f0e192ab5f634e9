// A provider's "test connection" for an HTTP SMS gateway, without sending: the config parses,
// the host resolves, and a TCP connection (TLS for https, the certificate checked) opens within
// the config's timeout. Whether the gateway takes the credentials is only known on a real send.
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import tls from 'node:tls';
import type { CheckStep, ConnectionCheck } from '../smtp/smtp-check';

export async function checkHttpGateway(endpoint: string, timeoutMs: number, configDetail: string): Promise<ConnectionCheck> {
  const steps: CheckStep[] = [{ step: 'config', ok: true, detail: configDetail }];
  const url = new URL(endpoint);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const fail = (step: string, detail: string): ConnectionCheck => {
    steps.push({ step, ok: false, detail });
    return { ok: false, steps, error: `${step} (${host}:${port}): ${detail}` };
  };
  let address: string;
  try {
    address = net.isIP(host) ? host : (await lookup(host)).address;
  } catch (error) {
    return fail('dns', `the host does not resolve: ${(error as Error).message}`);
  }
  steps.push({ step: 'dns', ok: true, detail: net.isIP(host) ? 'an IP address' : `${host} is ${address}` });
  try {
    await openAndClose(url.protocol === 'https:', host, address, port, timeoutMs);
  } catch (error) {
    return fail('connect', (error as Error).message);
  }
  steps.push({
    step: 'connect',
    ok: true,
    detail: `connected to ${host}:${port}${url.protocol === 'https:' ? ' over TLS' : ''}; nothing sent`,
  });
  return { ok: true, steps };
}

function openAndClose(secure: boolean, host: string, address: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = secure
      ? tls.connect({ host: address, port, servername: net.isIP(host) ? undefined : host })
      : net.connect({ host: address, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no connection within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.end();
      resolve();
    });
    socket.once('error', (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    });
  });
}
