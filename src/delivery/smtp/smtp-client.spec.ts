import { MessageData, dotStuff, dotStuffChunks } from './smtp-client';

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

describe('dotStuffChunks', () => {
  it('stuffs each chunk as starting a line, and keeps a large chunk stuffed once', () => {
    const shared = Buffer.from(`.starts with a dot\r\n${'x'.repeat(76)}\r\n`.repeat(200));
    const first = dotStuffChunks([Buffer.from('Subject: a\r\n'), Buffer.from('.b\r\n'), shared]);
    expect(Buffer.concat(first).toString()).toBe(dotStuff(Buffer.from(`Subject: a\r\n.b\r\n${shared}`)).toString());
    const second = dotStuffChunks([Buffer.from('Subject: b\r\n'), shared]);
    expect(second[1]).toBe(first[2]); // the same bytes, not stuffed again
  });
});

describe('MessageData', () => {
  it('hands its chunks over once and keeps no reference to them', () => {
    const chunks = [Buffer.from('Subject: a\r\n'), Buffer.from('\r\nbody\r\n')];
    const data = new MessageData(chunks);
    expect(data.take()).toBe(chunks);
    expect(() => data.take()).toThrow('already taken');
    expect(new MessageData(chunks[0]).take()).toEqual([chunks[0]]);
  });
});
