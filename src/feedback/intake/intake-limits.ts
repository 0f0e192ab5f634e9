// The inbound SMTP server's admission rules, as plain counters (pure, no I/O):
// - a budget of bytes in flight: bytes of messages being received or stored at once (they sit
//   in spool files, not in memory; the budget caps the spool and how much work is queued);
// - a per-client connection limit (an IPv4 address, or the /64 of an IPv6 one).
// Everything is synchronous and exact: a claim either gets its bytes or is told no at once.

/** Bytes shared by the messages in flight. A claim alone always gets its bytes (see take). */
export class ByteBudget {
  private used = 0;

  constructor(readonly capacity: number) {}

  get inUse(): number {
    return this.used;
  }

  /**
   * Takes n bytes if they fit. When nothing else is in flight (`alreadyHeld`: what the caller
   * itself holds) they are taken even past the capacity, so one message of any admitted size
   * can always be stored (a budget below INBOUND_MAX_BYTES would otherwise refuse that message
   * forever, and its sender would retry forever): bytes in flight stay under
   * max(capacity, one message).
   */
  take(n: number, alreadyHeld = 0): boolean {
    if (n <= 0) return true;
    if (this.used > alreadyHeld && this.used + n > this.capacity) return false;
    this.used += n;
    return true;
  }

  give(n: number): void {
    if (n > this.used) throw new Error(`byte budget: giving back ${n} bytes, only ${this.used} taken`);
    this.used -= n;
  }

  /** A claim on this budget, for one message; its first `free` bytes are not counted (see BudgetClaim). */
  claim(free = 0): BudgetClaim {
    return new BudgetClaim(this, free);
  }
}

/**
 * What one message holds of the budget: reserved ahead (its declared SIZE), then grown as its
 * bytes arrive. Its first `free` bytes are outside the budget, so that small messages (bounces,
 * replies) are taken even while big ones are being refused; the caller bounds how many claims
 * exist at once (connections), and with them what the free bytes add up to.
 */
export class BudgetClaim {
  private held = 0;
  private used = 0;

  constructor(
    private readonly budget: ByteBudget,
    private readonly free = 0,
  ) {}

  /** Bytes taken from the budget. */
  get bytes(): number {
    return this.held;
  }

  /** Holds ahead what n bytes of message need (MAIL FROM with SIZE=n); false, holding nothing more, when they do not fit. */
  reserve(n: number): boolean {
    const want = n - this.free;
    if (want <= this.held) return true;
    if (!this.budget.take(want - this.held, this.held)) return false;
    this.held = want;
    return true;
  }

  /** Counts n more bytes of the message, from the free bytes and what is held first, then from the budget. */
  grow(n: number): boolean {
    const need = this.used + n - this.free - this.held;
    if (need > 0 && !this.budget.take(need, this.held)) return false;
    if (need > 0) this.held += need;
    this.used += n;
    return true;
  }

  /** Gives everything back; safe to call twice. */
  release(): void {
    if (this.held > 0) this.budget.give(this.held);
    this.held = 0;
    this.used = 0;
  }
}

/** The key a client is counted under: its IPv4 address, or the /64 network of an IPv6 one (one host usually owns a /64). */
export function clientKey(address: string): string {
  const ip = address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
  if (!ip.includes(':')) return ip;
  const [head, tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+/, '') || '0')
    .join(':')}::/64`;
}

/** Open connections per client, with a limit. */
export class ClientConnections {
  private readonly open = new Map<string, number>();

  constructor(readonly limit: number) {}

  /** Counts a new connection; false (and not counted) when the client already has `limit`. */
  tryOpen(key: string): boolean {
    const count = this.open.get(key) ?? 0;
    if (count >= this.limit) return false;
    this.open.set(key, count + 1);
    return true;
  }

  close(key: string): void {
    const count = this.open.get(key) ?? 0;
    if (count <= 1) this.open.delete(key);
    else this.open.set(key, count - 1);
  }

  count(key: string): number {
    return this.open.get(key) ?? 0;
  }
}
