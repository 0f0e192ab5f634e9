import { demoCustomers, ordersOf } from './demo-data';

const now = new Date('2026-11-23T10:00:00Z');

describe('demo data', () => {
  const base = [...demoCustomers({ customers: 3000, orders: 15000, seed: 7, now })];

  it('makes exactly the number of customers asked, with consecutive ids', () => {
    expect(base).toHaveLength(3000);
    base.forEach((customer, index) => expect(customer.id).toBe(index + 1));
  });

  it('is deterministic for a seed', () => {
    const again = [...demoCustomers({ customers: 3000, orders: 15000, seed: 7, now })];
    expect(again).toEqual(base);
  });

  it('has Russian customers with patronymics, English ones, and companies with contacts', () => {
    const ru = base.filter((c) => c.kind === 'person' && c.locale === 'ru');
    expect(ru.length).toBeGreaterThan(1000);
    expect(ru.every((c) => c.patronymic && /(ич|на)$/.test(c.patronymic))).toBe(true);
    expect(base.some((c) => c.locale === 'en' && c.patronymic === null)).toBe(true);
    const companies = base.filter((c) => c.kind === 'company');
    expect(companies.length).toBeGreaterThan(20);
    for (const company of companies) {
      const contacts = base.filter((c) => c.companyId === company.id);
      expect(contacts.length).toBeGreaterThanOrEqual(1);
      expect(contacts.every((c) => c.email && c.position)).toBe(true);
    }
  });

  it('keeps derived order fields equal to the orders generated for the customer', () => {
    let total = 0;
    for (const customer of base) {
      const orders =
        customer.kind === 'person' && customer.companyId !== null
          ? []
          : ordersOf(customer.id, 5 * 1.15, { seed: 7, now, historyDays: 730 });
      total += orders.length;
      expect(customer.orderCount).toBe(orders.length);
      const sum = Math.round(orders.reduce((s, o) => s + o.total, 0) * 100) / 100;
      expect(customer.orderSum).toBeCloseTo(sum, 2);
      if (orders.length) expect(customer.lastOrderAt!.getTime()).toBe(Math.max(...orders.map((o) => o.orderedAt.getTime())));
    }
    // about the number of orders asked for
    expect(total).toBeGreaterThan(15000 * 0.8);
    expect(total).toBeLessThan(15000 * 1.2);
  });

  it('gives unique emails and phones, valid time zones and leap-day birthdays', () => {
    const emails = base.map((c) => c.email).filter(Boolean);
    expect(new Set(emails).size).toBe(emails.length);
    const phones = base.map((c) => c.phone).filter(Boolean);
    expect(new Set(phones).size).toBe(phones.length);
    for (const c of base) expect(() => new Intl.DateTimeFormat('en', { timeZone: c.timeZone })).not.toThrow();
    const big = [...demoCustomers({ customers: 20000, orders: 0, seed: 1, now })];
    expect(big.some((c) => c.birthday?.endsWith('-02-29'))).toBe(true);
  });
});
