// Tells a person's open or click from a machine's: Apple Mail Privacy Protection fetches every
// pixel through Apple's proxies, webmail image caches fetch pixels on their own schedule, and
// security gateways follow every link of a message the moment it arrives. Such events are
// still recorded (flagged isBot), but reports and A/B tests count only human ones. Pure: the
// signatures come from data/bot-signatures.json, compiled once.
import { BlockList, isIP } from 'node:net';
import defaultSignatures from './data/bot-signatures.json';

export type BotKind = 'privacy_proxy' | 'image_proxy' | 'scanner' | 'preview' | 'tool' | 'timing' | 'no_user_agent' | 'head_request';
export type TrackedHit = 'open' | 'click';

export interface BotSignatureFile {
  /** Events this soon after the message was sent are taken for a gateway scanning it. */
  scannerWindowMs: number;
  userAgents: Array<{ name: string; kind: string; pattern: string }>;
  /** `types` limits a range to some hits (Apple's proxies fetch pixels; a person behind Apple's network may still click). */
  ipRanges: Array<{ name: string; kind: string; cidr: string; types?: string[] }>;
}

export interface HitFacts {
  type: TrackedHit;
  userAgent: string | null;
  ip: string | null;
  /** HTTP method: gateways often probe links with HEAD. */
  method?: string;
  /** Milliseconds between the message's sending and this hit; null when it was never marked sent. */
  msSinceSent: number | null;
}

export type BotVerdict = { isBot: false } | { isBot: true; kind: BotKind; name: string };

interface CompiledRange {
  name: string;
  kind: BotKind;
  types: ReadonlySet<string> | null;
  list: BlockList;
}

export class BotDetector {
  private readonly userAgents: Array<{ name: string; kind: BotKind; pattern: RegExp }>;
  private readonly ranges: CompiledRange[];
  readonly scannerWindowMs: number;

  constructor(signatures: BotSignatureFile = defaultSignatures) {
    this.scannerWindowMs = signatures.scannerWindowMs;
    this.userAgents = signatures.userAgents.map((entry, i) => {
      try {
        return { name: entry.name, kind: asKind(entry.kind, `userAgents[${i}].kind`), pattern: new RegExp(entry.pattern, 'i') };
      } catch (error) {
        throw new Error(`bot signatures: userAgents[${i}].pattern: ${(error as Error).message}`, { cause: error });
      }
    });
    this.ranges = signatures.ipRanges.map((entry, i) => ({
      name: entry.name,
      kind: asKind(entry.kind, `ipRanges[${i}].kind`),
      types: entry.types ? new Set(entry.types) : null,
      list: subnet(entry.cidr, `ipRanges[${i}].cidr`),
    }));
  }

  classify(hit: HitFacts): BotVerdict {
    if (hit.method && hit.method.toUpperCase() === 'HEAD') return { isBot: true, kind: 'head_request', name: 'HEAD request' };
    const userAgent = hit.userAgent?.trim() ?? '';
    if (!userAgent) return { isBot: true, kind: 'no_user_agent', name: 'no User-Agent' };
    for (const entry of this.userAgents) if (entry.pattern.test(userAgent)) return { isBot: true, kind: entry.kind, name: entry.name };
    const ip = hit.ip ? plainIp(hit.ip) : null;
    if (ip) {
      const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
      for (const range of this.ranges) {
        if (range.types && !range.types.has(hit.type)) continue;
        if (range.list.check(ip, family)) return { isBot: true, kind: range.kind, name: range.name };
      }
    }
    if (hit.msSinceSent !== null && hit.msSinceSent >= 0 && hit.msSinceSent < this.scannerWindowMs) {
      return { isBot: true, kind: 'timing', name: `${hit.type} within ${this.scannerWindowMs} ms of sending` };
    }
    return { isBot: false };
  }
}

const KINDS: ReadonlySet<string> = new Set(['privacy_proxy', 'image_proxy', 'scanner', 'preview', 'tool']);

function asKind(kind: string, field: string): BotKind {
  if (!KINDS.has(kind)) throw new Error(`bot signatures: ${field}: expected one of ${[...KINDS].join(', ')}, got "${kind}"`);
  return kind as BotKind;
}

function subnet(cidr: string, field: string): BlockList {
  const [address, bits] = cidr.split('/');
  const family = isIP(address);
  const prefix = Number(bits);
  if (!family || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) {
    throw new Error(`bot signatures: ${field}: expected an address range such as 17.0.0.0/8, got "${cidr}"`);
  }
  const list = new BlockList();
  list.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
  return list;
}

/** Express gives IPv4 clients of a dual-stack socket as ::ffff:1.2.3.4. */
function plainIp(ip: string): string | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const plain = mapped ? mapped[1] : ip;
  return isIP(plain) ? plain : null;
}
