import { normaliseTag } from './tags';

describe('normaliseTag', () => {
  it.each<[string, string, string]>([
    ['lower-cases, as tags are stored', 'SyncA', 'synca'],
    ['trims', '  vip ', 'vip'],
    ['Cyrillic too', 'ОПТ', 'опт'],
    ['inner spaces stay', 'Black Friday', 'black friday'],
  ])('%s: %p', (_why, tag, stored) => {
    expect(normaliseTag(tag)).toBe(stored);
  });
});
