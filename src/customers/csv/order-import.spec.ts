import { Readable } from 'node:stream';
import * as iconv from 'iconv-lite';
import type { ImportIssue, ImportOptions } from './import.types';
import { readOrderCsv } from './order-import';

async function read(text: string | Buffer, options: ImportOptions = {}) {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 11) pieces.push(bytes.subarray(i, i + 11));
  return readOrderCsv(Readable.from(pieces), options).collect();
}

const brief = (issues: ImportIssue[]) => issues.map((i) => [i.line, i.field, i.code]);

describe('readOrderCsv', () => {
  it('groups adjacent item lines into orders and sums items when there is no total', async () => {
    const csv = [
      'Номер заказа;Код клиента;Дата заказа;Статус;Артикул;Наименование;Кол-во;Цена', // 1
      'A-1;C1;01.03.2024 10:00;Оплачен;SKU-1;Чайник;2;1 500,00', // 2
      'A-1;C1;01.03.2024 10:00;Оплачен;SKU-2;"Кружка; белая";1;299,90', // 3
      'A-2;C2;2024-03-02;new;SKU-1;Чайник;1;1500', // 4
    ].join('\r\n');
    const { rows, errors, warnings, summary } = await read(csv);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(rows).toEqual([
      {
        line: 2,
        lastLine: 3,
        externalId: 'A-1',
        customerExternalId: 'C1',
        customerEmail: null,
        customerPhone: null,
        orderedAt: new Date('2024-03-01T07:00:00Z'),
        status: 'paid',
        total: '3299.90',
        currency: null,
        trackingNumber: null,
        items: [
          { line: 2, productId: 'SKU-1', name: 'Чайник', quantity: 2, price: '1500.00' },
          { line: 3, productId: 'SKU-2', name: 'Кружка; белая', quantity: 1, price: '299.90' },
        ],
        attributes: {},
      },
      expect.objectContaining({ line: 4, lastLine: 4, externalId: 'A-2', status: 'created', total: '1500.00' }),
    ]);
    expect(summary).toMatchObject({ kind: 'orders', accepted: 2, rejected: 0, dataLines: 3 });
  });

  it('reads one line per order when there are no item columns', async () => {
    const csv =
      'order_id,email,phone,ordered_at,total,currency,Склад\nB1,Ivan@Mail.ru,,2024-01-05T12:00:00+03:00,"1 234,50",руб.,Север\nB2,,8 912 345 67 89,05.01.2024,100,,\n';
    const { rows, errors } = await read(csv);
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      expect.objectContaining({
        externalId: 'B1',
        customerEmail: 'ivan@mail.ru',
        orderedAt: new Date('2024-01-05T09:00:00Z'),
        total: '1234.50',
        currency: 'RUB',
        items: [],
        attributes: { sklad: 'Север' },
      }),
      expect.objectContaining({ externalId: 'B2', customerPhone: '+79123456789', total: '100.00', items: [] }),
    ]);
  });

  it('keeps the file total when there is one, even with items', async () => {
    const { rows } = await read('order_id,customer_id,date,total,sku,qty,price\nX,C,2024-01-01,500,P,1,700\n');
    expect(rows[0]).toMatchObject({ total: '500.00', items: [{ productId: 'P', quantity: 1, price: '700.00' }] });
  });

  it('rejects an order whose items sum to more than a total column holds (Decimal(14, 2))', async () => {
    const csv = ['order_id,customer_id,date,sku,qty,price', 'BIG,C,2024-01-01,P,1000000,999999999', 'OK,C,2024-01-01,P,2,10'].join('\n');
    const { rows, errors } = await read(csv);
    expect(rows.map((r) => [r.externalId, r.total])).toEqual([['OK', '20.00']]);
    expect(brief(errors)).toEqual([[2, 'total', 'total.too_large']]);
  });

  it('rejects a whole order when one of its lines is bad, naming the bad line', async () => {
    const csv = [
      'order_id,customer_id,ordered_at,product_id,quantity,price', // 1
      'O1,C1,2024-01-01,P1,1,10', // 2
      'O1,C1,2024-01-01,P2,1.5,10', // 3 bad quantity
      'O2,C1,2024-01-01,P1,1,10', // 4
    ].join('\n');
    const { rows, errors, summary } = await read(csv);
    expect(rows.map((r) => r.externalId)).toEqual(['O2']);
    expect(brief(errors)).toEqual([
      [3, 'quantity', 'quantity.not_whole'],
      [2, 'order_id', 'order_rejected'],
    ]);
    expect(summary).toMatchObject({ accepted: 1, rejected: 1 });
  });

  it('reports an order whose lines are not adjacent, or that is listed twice', async () => {
    const csv = [
      'order_id,customer_id,ordered_at,product_id', // 1
      'O1,C1,2024-01-01,P1', // 2
      'O2,C1,2024-01-02,P1', // 3
      'O1,C1,2024-01-01,P2', // 4 O1 again, after O2
      'O1,C1,2024-01-01,P3', // 5 still that second group
    ].join('\n');
    const { rows, errors, summary } = await read(csv);
    expect(rows.map((r) => [r.externalId, r.items.map((i) => i.productId)])).toEqual([
      ['O1', ['P1']],
      ['O2', ['P1']],
    ]);
    expect(errors).toEqual([
      expect.objectContaining({ line: 4, field: 'order_id', code: 'duplicate_order', otherLine: 2 }),
      expect.objectContaining({ line: 5, field: 'order_id', code: 'duplicate_order', otherLine: 2 }),
    ]);
    expect(summary.duplicates).toBe(1);
  });

  it('warns when a later line of an order disagrees with its first line', async () => {
    const csv = 'order_id,customer_id,ordered_at,status,product_id\nO1,C1,2024-01-01,paid,P1\nO1,C1,2024-01-01,cancelled,P2\n';
    const { rows, warnings } = await read(csv);
    expect(rows[0].status).toBe('paid');
    expect(brief(warnings)).toEqual([[3, 'status', 'conflicting_value']]);
  });

  it.each([
    ['an empty order id', 'order_id,customer_id,ordered_at\n,C1,2024-01-01\n', [[2, 'order_id', 'order_id.empty']]],
    ['no customer', 'order_id,customer_id,ordered_at\nO1,,2024-01-01\n', [[2, 'customer_external_id', 'order.no_customer']]],
    ['a bad customer email', 'order_id,email,ordered_at\nO1,ivan@,2024-01-01\n', [[2, 'customer_email', 'email.domain_empty']]],
    ['an empty date', 'order_id,customer_id,ordered_at\nO1,C1,\n', [[2, 'ordered_at', 'ordered_at.empty']]],
    ['an impossible date', 'order_id,customer_id,ordered_at\nO1,C1,31.02.2024\n', [[2, 'ordered_at', 'ordered_at.impossible_date']]],
    ['a negative total', 'order_id,customer_id,ordered_at,total\nO1,C1,2024-01-01,-10\n', [[2, 'total', 'total.negative']]],
    ['neither total nor items', 'order_id,customer_id,ordered_at,total\nO1,C1,2024-01-01,\n', [[2, 'total', 'total.missing']]],
    [
      'an unknown status',
      'order_id,customer_id,ordered_at,status,total\nO1,C1,2024-01-01,потерян,1\n',
      [[2, 'status', 'status.unknown_value']],
    ],
    [
      'an item without product id',
      'order_id,customer_id,ordered_at,product_id,price\nO1,C1,2024-01-01,,10\n',
      [[2, 'product_id', 'product_id.empty']],
    ],
    [
      'a bad price',
      'order_id,customer_id,ordered_at,product_id,price\nO1,C1,2024-01-01,P,1.234\n',
      [[2, 'price', 'price.too_many_decimals']],
    ],
  ])('rejects %s', async (_name, csv, expected) => {
    const { rows, errors } = await read(csv);
    expect(rows).toEqual([]);
    expect(brief(errors)).toEqual(expected);
  });

  it.each([
    ['no order id column', 'customer_id,ordered_at\nC1,2024-01-01\n'],
    ['no date column', 'order_id,customer_id\nO1,C1\n'],
    ['no customer column', 'order_id,ordered_at\nO1,2024-01-01\n'],
  ])('fails the file with %s', async (_name, csv) => {
    await expect(read(csv)).rejects.toMatchObject({ code: 'missing_column', line: 1 });
  });

  it('reads a Windows-1251 order file with quoted multi-line cells at the right lines', async () => {
    const text =
      'Номер заказа;Телефон;Дата;Сумма;Комментарий\r\n1;8 912 345-67-89;01.02.2024;100;"позвонить\r\nзаранее"\r\n2;8 912 345-67-89;31.02.2024;100;\r\n';
    const { rows, errors, summary } = await read(iconv.encode(text, 'win1251'));
    expect(summary.encoding).toBe('windows-1251');
    expect(rows).toEqual([expect.objectContaining({ externalId: '1', attributes: { kommentariy: 'позвонить\r\nзаранее' } })]);
    expect(brief(errors)).toEqual([[4, 'ordered_at', 'ordered_at.impossible_date']]);
  });
});
