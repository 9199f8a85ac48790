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
});
