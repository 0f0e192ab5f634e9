import { CUSTOMER_HEADER, HeaderMappingError, mapHeader, normaliseHeader, ORDER_HEADER } from './header-mapping';

describe('normaliseHeader', () => {
  it.each([
    ['E-mail', 'e mail'],
    [' Эл. почта* ', 'эл почта'],
    ['First_Name', 'first name'],
    ['Дата  рождения', 'дата рождения'],
    ['\uFEFFОтчёство', 'отчество'],
  ])('%p → %p', (header, normalised) => expect(normaliseHeader(header)).toBe(normalised));
});

describe('mapHeader', () => {
  it.each([
    ['email', 'email'],
    ['E-mail', 'email'],
    ['e_mail', 'email'],
    ['Почта', 'email'],
    ['Электронная почта', 'email'],
    ['Телефон', 'phone'],
    ['Mobile Phone', 'phone'],
    ['Имя', 'first_name'],
    ['FirstName', 'first_name'],
    ['Фамилия', 'last_name'],
    ['Отчество', 'patronymic'],
    ['ФИО', 'full_name'],
    ['Компания', 'company'],
    ['Дата рождения', 'birthday'],
    ['ID', 'external_id'],
    ['Код клиента', 'external_id'],
    ['Теги', 'tags'],
    ['timezone', 'time_zone'],
    ['Язык', 'locale'],
    ['Согласие на SMS', 'consent_sms'],
    ['consent_email', 'consent_email'],
    ['Город', 'attribute'],
    ['', 'ignore'],
  ])('customers: %p → %s', (header, target) => {
    expect(mapHeader(CUSTOMER_HEADER, [header]).columns[0].target).toBe(target);
  });

  it.each([
    ['Номер заказа', 'order_id'],
    ['ID', 'order_id'],
    ['Код клиента', 'customer_external_id'],
    ['Email', 'customer_email'],
    ['Дата заказа', 'ordered_at'],
    ['Сумма', 'total'],
    ['Артикул', 'product_id'],
    ['Наименование', 'product_name'],
    ['Кол-во', 'quantity'],
    ['Цена', 'price'],
    ['Статус', 'status'],
    ['Склад', 'attribute'],
  ])('orders: %p → %s', (header, target) => {
    expect(mapHeader(ORDER_HEADER, [header]).columns[0].target).toBe(target);
  });

  it('indexes fields and attribute columns by position', () => {
    const mapping = mapHeader(CUSTOMER_HEADER, ['Город', 'Email', '', 'Телефон']);
    expect(mapping.fieldIndex).toEqual({ email: 1, phone: 3 });
    expect(mapping.attributeColumns.map((c) => [c.index, c.header, c.key])).toEqual([[0, 'Город', 'city']]);
  });

  it('lets an explicit mapping win, matching headers loosely', () => {
    const mapping = mapHeader(CUSTOMER_HEADER, ['ID', 'Контакт', 'Email'], { id: 'ignore', 'КОНТАКТ ': 'phone', Email: 'attribute' });
    expect(mapping.columns.map((c) => c.target)).toEqual(['ignore', 'phone', 'attribute']);
  });

  it.each([
    [['Email', 'E-mail'], {}, 'duplicate_field'],
    [['Город', 'город'], {}, 'duplicate_header'],
    [['Email'], { Email: 'mailbox' }, 'unknown_field'],
  ] as const)('refuses %p with mapping %p: %s', (headers, explicit, code) => {
    expect(() => mapHeader(CUSTOMER_HEADER, headers, explicit)).toThrow(HeaderMappingError);
    try {
      mapHeader(CUSTOMER_HEADER, headers, explicit);
    } catch (error) {
      expect((error as HeaderMappingError).code).toBe(code);
    }
  });
});
