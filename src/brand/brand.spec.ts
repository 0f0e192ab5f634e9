import { DomainError } from '../common/domain-error';
import { parseOrThrow } from '../common/zod-validation';
import { EMPTY_BRAND, renderBrand } from './brand';
import { brandInputSchema } from './dto/brand.dto';

const schema = brandInputSchema('RU');

function issuesOf(body: unknown): Array<{ path: string; message: string }> {
  try {
    parseOrThrow(schema, body);
  } catch (error) {
    return (error as DomainError).issues ?? [];
  }
  throw new Error('expected a validation error');
}

describe('brand input', () => {
  it('normalises what it keeps: trimmed text, lower-case email, E.164 phone; "" and null are unset', () => {
    expect(
      parseOrThrow(schema, {
        name: '  Ромашка ',
        address: '',
        website: 'https://romashka.example',
        logoUrl: null,
        supportEmail: 'Help@Romashka.Example',
        supportPhone: '8 (495) 123-45-67',
      }),
    ).toEqual({
      name: 'Ромашка',
      address: null,
      website: 'https://romashka.example',
      logoUrl: null,
      supportEmail: 'help@romashka.example',
      supportPhone: '+74951234567',
    });
  });

  it.each([
    ['website', 'javascript:alert(1)', 'an ftp/javascript URL is no website'],
    ['logoUrl', 'romashka.example/logo.png', 'a URL needs its scheme'],
    ['supportEmail', 'help at romashka', 'not an address'],
    ['supportPhone', '12', 'too short for any number'],
    ['supportPhone', '+7 495 123-45-67 доб. 12', 'E.164 has no extension'],
    ['name', 'x'.repeat(201), 'over 200 characters'],
    ['address', 'a\u0000b', 'NUL cannot be stored'],
    ['name', 42, 'not text'],
  ])('refuses %s = %j (%s), naming the field', (field, value, _why) => {
    const issues = issuesOf({ [field]: value });
    expect(issues.map((issue) => issue.path)).toEqual([field]);
  });

  it('refuses an unknown field', () => {
    expect(issuesOf({ colour: 'red' })[0].message).toMatch(/colour/);
  });
});

describe('renderBrand', () => {
  const set = { ...EMPTY_BRAND, name: 'Ромашка', website: 'https://romashka.example' };

  it.each([
    ['the stored name wins over the sender name', set, 'Ромашка ООО', { name: 'Ромашка', website: 'https://romashka.example' }],
    [
      'the sender name stands in while no name is set',
      { ...set, name: null },
      'Shop',
      { name: 'Shop', website: 'https://romashka.example' },
    ],
    ['nothing set, no sender name: an empty brand', EMPTY_BRAND, null, {}],
  ])('%s', (_why, settings, fallback, expected) => {
    expect(renderBrand(settings, fallback)).toEqual(expected);
  });
});
