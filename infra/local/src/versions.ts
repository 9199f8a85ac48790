import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const goModule = z.object({
  module: z.string(),
  version: z.string(),
  package: z.string(),
  /**
   * The module zip's hash (`h1:…`, as in go.sum), for a module the Go checksum database has no
   * entry for here: it is then downloaded without that lookup and checked against this instead.
   */
  sum: z
    .string()
    .regex(/^h1:[A-Za-z0-9+/]{43}=$/)
    .optional(),
});

const versionsSchema = z.object({
  kafka: z.object({ version: z.string(), scala: z.string(), slf4j: z.string(), log4j: z.string() }),
  ferretdb: goModule,
  temporal: goModule,
  mailpit: goModule,
  toxiproxy: goModule,
});

export type GoModuleSpec = z.infer<typeof goModule>;
export type Versions = z.infer<typeof versionsSchema>;

/** infra/local itself: versions.json and the Kafka templates live here. */
export const infraRoot = path.resolve(__dirname, '..');
export const repositoryRoot = path.resolve(infraRoot, '..', '..');

export const versions: Versions = versionsSchema.parse(
  JSON.parse(readFileSync(path.join(infraRoot, 'versions.json'), 'utf8')),
);
