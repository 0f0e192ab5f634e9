// Realistic demo customers and orders, generated deterministically from a seed so a benchmark
// or a test can regenerate exactly the same base. Pure: no database, no Nest.
import { transliterate } from '../common/translit';

export function seededRandom(seed: number): () => number {
  // mulberry32: tiny, fast and good enough for demo data.
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)];

const RU_MALE = ['Александр', 'Дмитрий', 'Максим', 'Сергей', 'Андрей', 'Алексей', 'Иван', 'Михаил', 'Николай', 'Павел', 'Егор', 'Владимир'];
const RU_FEMALE = ['Анна', 'Мария', 'Елена', 'Ольга', 'Наталья', 'Татьяна', 'Екатерина', 'Ирина', 'Светлана', 'Юлия', 'Дарья', 'Ксения'];
const RU_LAST = [
  'Иванов',
  'Смирнов',
  'Кузнецов',
  'Попов',
  'Васильев',
  'Петров',
  'Соколов',
  'Михайлов',
  'Новиков',
  'Фёдоров',
  'Морозов',
  'Волков',
  'Лебедев',
  'Козлов',
];
// Patronymics from fathers' names: [male form, female form].
const RU_PATRONYMIC: ReadonlyArray<[string, string]> = [
  ['Александрович', 'Александровна'],
  ['Дмитриевич', 'Дмитриевна'],
  ['Сергеевич', 'Сергеевна'],
  ['Андреевич', 'Андреевна'],
  ['Алексеевич', 'Алексеевна'],
  ['Иванович', 'Ивановна'],
  ['Михайлович', 'Михайловна'],
  ['Николаевич', 'Николаевна'],
  ['Павлович', 'Павловна'],
  ['Владимирович', 'Владимировна'],
  ['Петрович', 'Петровна'],
  ['Викторович', 'Викторовна'],
];
const EN_FIRST = ['James', 'Oliver', 'Emma', 'Sophia', 'William', 'Charlotte', 'Henry', 'Amelia', 'George', 'Grace', 'Thomas', 'Lucy'];
const EN_LAST = ['Smith', 'Johnson', 'Brown', 'Taylor', 'Wilson', 'Davies', 'Evans', 'Thomas', 'Roberts', 'Walker', 'Wright', 'Hughes'];
const COMPANY_FORMS = ['ООО', 'АО', 'ИП', 'ПАО'];
const COMPANY_WORDS = [
  'Север',
  'Вектор',
  'Альфа',
  'Техносфера',
  'Стройресурс',
  'Меридиан',
  'Градиент',
  'Орион',
  'Промснаб',
  'Лидер',
  'Энергия',
  'Импульс',
];
const POSITIONS = ['Генеральный директор', 'Менеджер по закупкам', 'Главный бухгалтер', 'Снабженец', 'Коммерческий директор'];
const RU_ZONES = [
  'Europe/Moscow',
  'Europe/Moscow',
  'Europe/Moscow',
  'Europe/Moscow',
  'Europe/Kaliningrad',
  'Europe/Samara',
  'Asia/Yekaterinburg',
  'Asia/Novosibirsk',
  'Asia/Krasnoyarsk',
  'Asia/Vladivostok',
];
const EN_ZONES = ['Europe/London', 'Europe/Berlin', 'America/New_York', 'Asia/Dubai'];
const SOURCES = ['shop', 'crm', 'import', 'landing', 'pos'];
const TAGS = ['vip', 'wholesale', 'newsletter', 'retail', 'partner', 'b2b'];
const DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example.com'];
const PRODUCTS = Array.from({ length: 200 }, (_, i) => `SKU-${String(i + 1).padStart(4, '0')}`);
/** Latin letters and digits only, for emails and slugs. */
function translit(text: string): string {
  return transliterate(text).replace(/[^a-z0-9]/g, '');
}

export type ConsentState = 'opted_in' | 'opted_out' | 'pending' | null;

export interface DemoCustomer {
  id: number;
  kind: 'person' | 'company';
  companyId: number | null;
  position: string | null;
  firstName: string | null;
  patronymic: string | null;
  lastName: string | null;
  companyName: string | null;
  email: string | null;
  phone: string | null;
  birthday: string | null; // YYYY-MM-DD
  timeZone: string;
  locale: 'ru' | 'en';
  source: string;
  tags: string[];
  attributes: Record<string, string | number | boolean>;
  registeredAt: Date;
  emailConsent: ConsentState;
  smsConsent: ConsentState;
  // derived from the customer's orders (kept consistent by construction)
  orderCount: number;
  orderSum: number;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
}

export interface DemoOrderItem {
  productId: string;
  quantity: number;
  price: number;
}

export interface DemoOrder {
  customerId: number;
  externalId: string;
  status: 'created' | 'paid' | 'shipped' | 'delivered' | 'cancelled';
  total: number;
  orderedAt: Date;
  items: DemoOrderItem[];
}

export interface DemoOptions {
  /** Customers in all, company contacts included. */
  customers: number;
  /** Orders in all, roughly (each customer draws its count around the mean). */
  orders: number;
  seed?: number;
  /** First id to use; the caller passes max(id) + 1 of the existing base. */
  firstId?: number;
  /** Orders fall in the `historyDays` before this moment. */
  now?: Date;
  historyDays?: number;
}

const DAY_MS = 86_400_000;

function consent(random: () => number, optedIn: number): ConsentState {
  const r = random();
  if (r < optedIn) return 'opted_in';
  if (r < optedIn + 0.05) return 'opted_out';
  if (r < optedIn + 0.08) return 'pending';
  return null;
}

function birthday(random: () => number): string {
  // One in a hundred is born on 29 February, so leap-day handling is exercised.
  if (random() < 0.01) return `${pick(random, [1964, 1972, 1980, 1988, 1996, 2000])}-02-29`;
  const year = 1950 + Math.floor(random() * 56);
  const day = new Date(Date.UTC(year, 0, 1) + Math.floor(random() * 365) * DAY_MS);
  return day.toISOString().slice(0, 10);
}

/**
 * Generates the orders of one customer from its own seed, so customers (with their order
 * totals) and orders can be streamed in two passes that agree exactly.
 */
export function ordersOf(customerId: number, meanOrders: number, options: { seed: number; now: Date; historyDays: number }): DemoOrder[] {
  const random = seededRandom(options.seed * 7919 + customerId * 104729);
  // Exponential around the mean: many customers order little, a few order a lot.
  const count = Math.min(200, Math.floor(-Math.log(1 - random()) * meanOrders + 0.5));
  const orders: DemoOrder[] = [];
  for (let i = 0; i < count; i++) {
    const itemCount = 1 + Math.floor(random() * 3);
    const items: DemoOrderItem[] = [];
    for (let j = 0; j < itemCount; j++) {
      items.push({
        productId: pick(random, PRODUCTS),
        quantity: 1 + Math.floor(random() * 3),
        price: Math.round((300 + random() * 9700) * 100) / 100,
      });
    }
    const total = Math.round(items.reduce((sum, item) => sum + item.quantity * item.price, 0) * 100) / 100;
    const orderedAt = new Date(options.now.getTime() - Math.floor(random() * options.historyDays * DAY_MS));
    const r = random();
    const status = r < 0.05 ? 'cancelled' : r < 0.1 ? 'created' : r < 0.15 ? 'paid' : r < 0.2 ? 'shipped' : 'delivered';
    orders.push({ customerId, externalId: `D${customerId}-${i + 1}`, status, total, orderedAt, items });
  }
  return orders;
}

/** Streams the demo base: companies are followed by their contacts (so companyId points back). */
export function* demoCustomers(options: DemoOptions): Generator<DemoCustomer> {
  const seed = options.seed ?? 42;
  const now = options.now ?? new Date();
  const historyDays = options.historyDays ?? 730;
  const random = seededRandom(seed);
  const firstId = options.firstId ?? 1;
  // Company contacts (about 13% of rows) order through their company, so the others order more.
  const ORDERING_SHARE = 1 / 1.15;
  const meanOrders = options.customers > 0 ? options.orders / options.customers / ORDERING_SHARE : 0;
  let id = firstId;
  const end = firstId + options.customers;

  const withOrders = (
    customer: Omit<DemoCustomer, 'orderCount' | 'orderSum' | 'firstOrderAt' | 'lastOrderAt'>,
    ordering: boolean,
  ): DemoCustomer => {
    const orders = ordering ? ordersOf(customer.id, meanOrders, { seed, now, historyDays }) : [];
    let orderSum = 0;
    let first: number | null = null;
    let last: number | null = null;
    for (const order of orders) {
      orderSum += order.total;
      const t = order.orderedAt.getTime();
      if (first === null || t < first) first = t;
      if (last === null || t > last) last = t;
    }
    return {
      ...customer,
      orderCount: orders.length,
      orderSum: Math.round(orderSum * 100) / 100,
      firstOrderAt: first === null ? null : new Date(first),
      lastOrderAt: last === null ? null : new Date(last),
    };
  };

  while (id < end) {
    const registeredAt = new Date(now.getTime() - Math.floor(random() * (historyDays + 365) * DAY_MS));
    const source = pick(random, SOURCES);
    if (random() < 0.05 && end - id >= 3) {
      const companyId = id++;
      const name = `${pick(random, COMPANY_WORDS)}${pick(random, ['', '-М', ' Групп', ' Трейд'])}`;
      const slug = translit(name) || 'company';
      yield withOrders(
        {
          id: companyId,
          kind: 'company',
          companyId: null,
          position: null,
          firstName: null,
          patronymic: null,
          lastName: null,
          companyName: `${pick(random, COMPANY_FORMS)} «${name}»`,
          email: `info.${companyId}@${slug}.example.com`,
          phone: `+7495${String(companyId % 10_000_000).padStart(7, '0')}`,
          birthday: null,
          timeZone: pick(random, RU_ZONES),
          locale: 'ru',
          source: 'crm',
          tags: ['b2b', 'wholesale'],
          attributes: { inn: String(7700000000 + companyId), segment: pick(random, ['small', 'medium', 'large']) },
          registeredAt,
          emailConsent: 'opted_in',
          smsConsent: null,
        },
        true,
      );
      const contacts = Math.min(end - id, 2 + Math.floor(random() * 3));
      for (let c = 0; c < contacts; c++) {
        const contactId = id++;
        const contact = person(random, contactId, registeredAt, source);
        yield withOrders(
          {
            ...contact,
            email: contact.email ?? `contact.${contactId}@${slug}.example.com`,
            companyId,
            position: pick(random, POSITIONS),
            tags: ['b2b'],
            emailConsent: 'opted_in',
          },
          false,
        );
      }
      continue;
    }
    yield withOrders(person(random, id++, registeredAt, source), true);
  }
}

function person(random: () => number, id: number, registeredAt: Date, source: string) {
  const russian = random() < 0.85;
  const female = random() < 0.5;
  let firstName: string, lastName: string, patronymic: string | null, email: string;
  if (russian) {
    firstName = pick(random, female ? RU_FEMALE : RU_MALE);
    const last = pick(random, RU_LAST);
    lastName = female ? `${last}а` : last;
    patronymic = pick(random, RU_PATRONYMIC)[female ? 1 : 0];
    email = `${translit(firstName)}.${translit(lastName)}.${id}@${pick(random, DOMAINS)}`;
  } else {
    firstName = pick(random, EN_FIRST);
    lastName = pick(random, EN_LAST);
    patronymic = null;
    email = `${firstName.toLowerCase()}.${lastName.toLowerCase()}.${id}@${pick(random, DOMAINS)}`;
  }
  return {
    id,
    kind: 'person' as const,
    companyId: null,
    position: null,
    firstName,
    patronymic,
    lastName,
    companyName: null,
    email: random() < 0.97 ? email : null,
    phone: random() < 0.8 ? `+79${String(id % 1_000_000_000).padStart(9, '0')}` : null,
    birthday: random() < 0.9 ? birthday(random) : null,
    timeZone: russian ? pick(random, RU_ZONES) : pick(random, EN_ZONES),
    locale: russian ? ('ru' as const) : ('en' as const),
    source,
    tags: random() < 0.3 ? [pick(random, TAGS)] : [],
    attributes: {
      city: russian
        ? pick(random, ['Москва', 'Санкт-Петербург', 'Казань', 'Новосибирск', 'Владивосток', 'Калининград'])
        : pick(random, ['London', 'Berlin', 'New York']),
    },
    registeredAt,
    emailConsent: consent(random, 0.85),
    smsConsent: consent(random, 0.6),
  };
}

/**
 * The brand the demo sets when none is stored, so a fresh quickstart's messages read
 * «Демо-магазин …: заказ №SHOP-1002 отправлен» rather than «: заказ …», and say how to change it.
 */
export const DEMO_BRAND = {
  name: 'Демо-магазин (задайте бренд в настройках)',
  website: 'https://shop.example',
  supportEmail: 'help@shop.example',
} as const;
