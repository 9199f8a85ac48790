import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applicationDraftBody } from '@s3p/contracts';
import express from 'express';
import type { Collection } from 'mongodb';
import { MongoClient } from 'mongodb';
import mongoose, { Schema } from 'mongoose';
import type { BenchApplicationDocument } from '../fixtures';
import { applicationDocument } from '../fixtures';
import { serveChild } from './child';

/**
 * B-http-db's server: a bare express handler that validates the draft with the API's zod schema,
 * builds the document the applications service inserts (with its outbox) and inserts it, and a
 * lean read of one application by id without its outbox. DRIVER chooses mongoose (a model with a
 * schema of the document) or the native driver; MONGODB_URI names the database, COLLECTION the
 * collection (its indexes are made by the parent, the same for both drivers).
 */
interface Store {
  insert(document: BenchApplicationDocument): Promise<void>;
  find(id: string): Promise<unknown>;
  close(): Promise<void>;
}

const uri = required('MONGODB_URI');
const collectionName = required('COLLECTION');
const driver = required('DRIVER');

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function nativeStore(): Promise<Store> {
  const client = await new MongoClient(uri).connect();
  const collection: Collection<BenchApplicationDocument> = client.db().collection(collectionName);
  return {
    insert: async (document) => {
      await collection.insertOne(document);
    },
    find: (id) => collection.findOne({ _id: id }, { projection: { outbox: 0 } }),
    close: () => client.close(),
  };
}

async function mongooseStore(): Promise<Store> {
  const connection = await mongoose
    .createConnection(uri, { autoIndex: false, autoCreate: false })
    .asPromise();
  const mixed = Schema.Types.Mixed;
  const schema = new Schema<BenchApplicationDocument>(
    {
      _id: { type: String, required: true },
      callId: { type: String, required: true },
      pilotType: { type: String, required: true },
      region: { type: String, required: true },
      title: String,
      s3Strategy: mixed,
      priorityDomains: [mixed],
      requestedSupport: [String],
      supportDescription: String,
      budget: { total: Number, requested: Number },
      workPlan: [mixed],
      partners: [{ _id: false, region: String, invitedAt: String, confirmedAt: String }],
      partnerRegions: [String],
      status: { type: String, required: true },
      version: { type: Number, required: true },
      submissions: [mixed],
      createdBy: String,
      createdAt: Date,
      updatedAt: Date,
      outbox: [mixed],
    },
    { collection: collectionName, versionKey: false },
  );
  const Application = connection.model<BenchApplicationDocument>('Application', schema);
  return {
    insert: async (document) => {
      await Application.create(document);
    },
    find: (id) => Application.findById(id, { outbox: 0 }).lean().exec(),
    close: () => connection.close(),
  };
}

serveChild(async () => {
  const store = driver === 'mongoose' ? await mongooseStore() : await nativeStore();
  const app = express();
  app.use(express.json());
  app.post('/applications', async (req, res) => {
    const parsed = applicationDraftBody.safeParse(req.body);
    if (!parsed.success) {
      res.status(422).json({ title: 'Unprocessable Content', errors: parsed.error.issues });
      return;
    }
    const document = applicationDocument(parsed.data);
    await store.insert(document);
    const { outbox: _outbox, ...stored } = document;
    res.status(201).location(`/applications/${document._id}`).json(stored);
  });
  app.get('/applications/:id', async (req, res) => {
    const found = await store.find(req.params.id);
    if (!found) res.status(404).end();
    else res.json(found);
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return {
    ready: { port: (server.address() as AddressInfo).port },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
});
