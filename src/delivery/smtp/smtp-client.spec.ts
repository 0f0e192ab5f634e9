import { dotStuff } from './smtp-client';

describe('dotStuff', () => {
  it.each([
    ['no dots', 'a\r\nb\r\n', 'a\r\nb\r\n'],
    ['a line starting with a dot', 'a\r\n.b\r\n', 'a\r\n..b\r\n'],
    ['the first line', '.a\r\n', '..a\r\n'],
    ['several', '.\r\n..\r\nx.y\r\n.z', '..\r\n...\r\nx.y\r\n..z\r\n'],
    ['a missing final CRLF', 'a', 'a\r\n'],
  ])('%s', (_name, input, expected) => {
    expect(dotStuff(Buffer.from(input)).toString()).toBe(expected);
  });
});
