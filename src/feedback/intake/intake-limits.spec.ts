import { ByteBudget, ClientConnections, clientKey } from './intake-limits';

describe('ByteBudget and its claims', () => {
  it('gives bytes while they fit and takes them back', () => {
    const budget = new ByteBudget(100);
    const a = budget.claim();
    const b = budget.claim();
    expect(a.grow(60)).toBe(true);
    expect(b.grow(40)).toBe(true);
    expect(budget.inUse).toBe(100);
    expect(b.grow(1)).toBe(false);
    expect(b.bytes).toBe(40);
    a.release();
    expect(budget.inUse).toBe(40);
    expect(b.grow(60)).toBe(true);
    b.release();
    b.release();
    expect(budget.inUse).toBe(0);
  });

  it('lets a message alone through even past the capacity, so it can never be refused forever', () => {
    const budget = new ByteBudget(10);
    const alone = budget.claim();
    for (let i = 0; i < 50; i++) expect(alone.grow(1)).toBe(true);
    expect(budget.claim().grow(1)).toBe(false);
    expect(alone.grow(1)).toBe(true);
    alone.release();
    expect(budget.inUse).toBe(0);
  });

  it('grows from a reservation first, then from the budget', () => {
    const budget = new ByteBudget(100);
    const declared = budget.claim();
    expect(declared.reserve(50)).toBe(true);
    expect(budget.inUse).toBe(50);
    expect(declared.grow(30)).toBe(true);
    expect(declared.grow(20)).toBe(true);
    expect(budget.inUse).toBe(50);
    expect(declared.grow(10)).toBe(true);
    expect(budget.inUse).toBe(60);
    expect(budget.claim().reserve(41)).toBe(false);
    expect(budget.inUse).toBe(60);
    declared.release();
    expect(budget.inUse).toBe(0);
  });

  it('a refused reservation holds nothing more', () => {
    const budget = new ByteBudget(100);
    const other = budget.claim();
    other.grow(80);
    const late = budget.claim();
    expect(late.reserve(30)).toBe(false);
    expect(late.bytes).toBe(0);
    expect(late.reserve(20)).toBe(true);
    expect(budget.inUse).toBe(100);
  });

  it('does not count the free bytes of a claim: small messages pass while the budget is spent', () => {
    const budget = new ByteBudget(100);
    const big = budget.claim(10);
    expect(big.grow(110)).toBe(true);
    expect(budget.inUse).toBe(100);
    const small = budget.claim(10);
    expect(small.reserve(10)).toBe(true);
    expect(small.grow(10)).toBe(true);
    expect(small.grow(1)).toBe(false);
    expect(budget.claim(10).reserve(11)).toBe(false);
    big.release();
    const declared = budget.claim(10);
    expect(declared.reserve(50)).toBe(true);
    expect(budget.inUse).toBe(40);
    expect(declared.grow(50)).toBe(true);
    expect(budget.inUse).toBe(40);
  });

  it('refuses to give back more than was taken (a bookkeeping bug must be loud)', () => {
    expect(() => new ByteBudget(10).give(1)).toThrow(/giving back 1 bytes/);
  });
});

describe('clientKey', () => {
  it.each([
    ['IPv4', '203.0.113.7', '203.0.113.7'],
    ['IPv4 mapped into IPv6', '::ffff:203.0.113.7', '203.0.113.7'],
    ['IPv6: its /64', '2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['IPv6 with :: in the host part', '2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['IPv6 with :: in the network part', '2001:db8::5', '2001:db8:0:0::/64'],
    ['IPv6 with leading zeros and capitals', '2001:0DB8:0001:0002::1', '2001:db8:1:2::/64'],
    ['IPv6 loopback', '::1', '0:0:0:0::/64'],
  ])('%s', (_name, address, key) => {
    expect(clientKey(address)).toBe(key);
  });
});

describe('ClientConnections', () => {
  it('counts per client up to the limit', () => {
    const clients = new ClientConnections(2);
    expect(clients.tryOpen('a')).toBe(true);
    expect(clients.tryOpen('a')).toBe(true);
    expect(clients.tryOpen('a')).toBe(false);
    expect(clients.tryOpen('b')).toBe(true);
    expect(clients.count('a')).toBe(2);
    clients.close('a');
    expect(clients.tryOpen('a')).toBe(true);
    clients.close('a');
    clients.close('a');
    expect(clients.count('a')).toBe(0);
  });
});
