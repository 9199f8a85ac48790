import { sendsOf } from '../src/publisher';

const ofSize = (kb: number, name: string) => ({ value: 'x'.repeat(kb * 1024), name });

describe('the sends a publication is cut into', () => {
  it('keeps small publications in one send', () => {
    const messages = [ofSize(1, 'a'), ofSize(2, 'b'), ofSize(3, 'c')];
    expect(sendsOf(messages)).toEqual([messages]);
  });

  it('cuts large ones into sends of at most 512 KB, in order', () => {
    const messages = Array.from({ length: 5 }, (_, i) => ofSize(200, `m${i}`));
    const sends = sendsOf(messages);
    expect(sends.map((send) => send.map((m) => m.name))).toEqual([['m0', 'm1'], ['m2', 'm3'], ['m4']]);
  });

  it('sends a message larger than the limit on its own rather than dropping it', () => {
    const sends = sendsOf([ofSize(1, 'a'), ofSize(600, 'big'), ofSize(1, 'b')]);
    expect(sends.map((send) => send.map((m) => m.name))).toEqual([['a'], ['big'], ['b']]);
  });

  it('has nothing to send for nothing', () => {
    expect(sendsOf([])).toEqual([]);
  });
});
