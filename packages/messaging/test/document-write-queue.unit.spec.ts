import { DocumentWriteQueue } from '../src/document-write-queue';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('DocumentWriteQueue', () => {
  it('runs writes to one document one at a time, in arrival order', async () => {
    const queue = new DocumentWriteQueue();
    const log: string[] = [];
    const write = (name: string) =>
      queue.run('call-1', async () => {
        log.push(`${name} start`);
        await tick();
        log.push(`${name} end`);
        return name;
      });
    expect(await Promise.all([write('a'), write('b'), write('c')])).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('lets writes to different documents overlap', async () => {
    const queue = new DocumentWriteQueue();
    const log: string[] = [];
    const write = (id: string) =>
      queue.run(id, async () => {
        log.push(`${id} start`);
        await tick();
        log.push(`${id} end`);
      });
    await Promise.all([write('call-1'), write('call-2')]);
    expect(log.slice(0, 2)).toEqual(['call-1 start', 'call-2 start']);
  });

  it('goes on with the next write after one fails, and hands the failure to its caller', async () => {
    const queue = new DocumentWriteQueue();
    const failed = queue.run('call-1', () => Promise.reject(new Error('conflict')));
    const next = queue.run('call-1', () => Promise.resolve('applied'));
    await expect(failed).rejects.toThrow('conflict');
    await expect(next).resolves.toBe('applied');
  });

  it('starts a write to several documents after the writes queued to each, and holds back those queued after', async () => {
    const queue = new DocumentWriteQueue();
    const log: string[] = [];
    const write = (name: string, ids: string[]) =>
      queue.runAll(ids, async () => {
        log.push(`${name} start`);
        await tick();
        await tick();
        log.push(`${name} end`);
      });
    await Promise.all([
      write('a', ['call-1']),
      write('b', ['call-2']),
      write('bulk', ['call-1', 'call-2', 'call-2']),
      write('c', ['call-2']),
      write('d', ['call-3']),
    ]);
    const at = (entry: string) => log.indexOf(entry);
    expect(at('bulk start')).toBeGreaterThan(Math.max(at('a end'), at('b end')));
    expect(at('c start')).toBeGreaterThan(at('bulk end'));
    // A document the bulk write does not touch is not held back by it.
    expect(at('d start')).toBeLessThan(at('bulk start'));
  });

  it('goes on after a failed write to several documents, for each of them', async () => {
    const queue = new DocumentWriteQueue();
    const failed = queue.runAll(['call-1', 'call-2'], () => Promise.reject(new Error('busy')));
    const next = [
      queue.run('call-1', () => Promise.resolve(1)),
      queue.run('call-2', () => Promise.resolve(2)),
    ];
    await expect(failed).rejects.toThrow('busy');
    await expect(Promise.all(next)).resolves.toEqual([1, 2]);
  });
});
