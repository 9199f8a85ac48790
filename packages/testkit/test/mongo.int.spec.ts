import mongoose, { Schema } from 'mongoose';
import { isolation } from '../src';

const { mongoUri } = isolation('mongo-smoke');

interface Region {
  code: string;
  name: string;
}

const regionSchema = new Schema<Region>(
  { code: { type: String, required: true, unique: true }, name: { type: String, required: true } },
  { optimisticConcurrency: true, autoIndex: false },
);

let connection: mongoose.Connection;
let Regions: mongoose.Model<Region>;

beforeAll(async () => {
  connection = await mongoose.createConnection(mongoUri).asPromise();
  Regions = connection.model<Region>('Region', regionSchema);
  await Regions.syncIndexes();
});

afterAll(async () => {
  await connection?.dropDatabase();
  await connection?.close();
});

test('a unique index refuses a second document with the same key', async () => {
  await Regions.create({ code: 'BG41', name: 'Yugozapaden' });
  await expect(Regions.create({ code: 'BG41', name: 'duplicate' })).rejects.toMatchObject({ code: 11000 });
  expect(await Regions.countDocuments({ code: 'BG41' })).toBe(1);
});

test('optimistic concurrency saves the first writer and reports the stale second one', async () => {
  await Regions.create({ code: 'SE33', name: 'Övre Norrland' });
  const first = await Regions.findOne({ code: 'SE33' }).orFail();
  const second = await Regions.findOne({ code: 'SE33' }).orFail();

  first.name = 'Upper Norrland';
  await first.save();
  second.name = 'stale edit';
  await expect(second.save()).rejects.toBeInstanceOf(mongoose.Error.VersionError);

  const stored = await Regions.findOne({ code: 'SE33' }).lean().orFail();
  expect(stored.name).toBe('Upper Norrland');
  expect(stored.__v).toBe(1);
});

test('a conditional update on a stale version matches nothing', async () => {
  const created = await Regions.create({ code: 'ES11', name: 'Galicia' });
  const fresh = await Regions.updateOne(
    { _id: created._id, __v: 0 },
    { $set: { name: 'Galiza' }, $inc: { __v: 1 } },
  );
  expect(fresh.matchedCount).toBe(1);
  const stale = await Regions.updateOne(
    { _id: created._id, __v: 0 },
    { $set: { name: 'lost' }, $inc: { __v: 1 } },
  );
  expect(stale.matchedCount).toBe(0);
  expect((await Regions.findById(created._id).lean().orFail()).name).toBe('Galiza');
});
