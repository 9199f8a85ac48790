import type { reportFileTypes } from '@s3p/contracts';
import fc from 'fast-check';
import { contentMismatch } from '../src/domain/file-content';

type ReportFileType = (typeof reportFileTypes)[number];
const zip = [0x50, 0x4b, 0x03, 0x04];
/** The magic bytes of each binary type, written from the formats' specifications. */
const magic: Partial<Record<ReportFileType, number[]>> = {
  'application/pdf': [...Buffer.from('%PDF-')],
  'image/png': [0x89, ...Buffer.from('PNG\r\n'), 0x1a, 0x0a],
  'image/jpeg': [0xff, 0xd8, 0xff],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': zip,
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': zip,
  'application/vnd.oasis.opendocument.text': zip,
  'application/vnd.oasis.opendocument.spreadsheet': zip,
};
const binaryTypes = Object.keys(magic) as ReportFileType[];
const textTypes: ReportFileType[] = ['text/csv', 'text/plain'];
const bytesArb = fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes));

describe('file content properties', () => {
  it('takes a binary file that starts with its type’s magic bytes, whatever follows', () => {
    fc.assert(
      fc.property(fc.constantFrom(...binaryTypes), bytesArb, (type, tail) => {
        expect(contentMismatch(type, Buffer.concat([Buffer.from(magic[type]!), tail]))).toBeUndefined();
      }),
    );
  });

  it('refuses a binary file that does not start with them (one byte off, cut short, or anything), saying so', () => {
    const nearMissArb = fc.constantFrom(...binaryTypes).chain((type) =>
      fc.tuple(
        fc.constant(type),
        fc.oneof(
          bytesArb,
          // The signature with one byte changed, then anything.
          fc
            .tuple(fc.nat(magic[type]!.length - 1), fc.integer({ min: 1, max: 255 }), bytesArb)
            .map(([i, delta, tail]) => {
              const bytes = [...magic[type]!];
              bytes[i] = (bytes[i]! + delta) % 256;
              return Buffer.concat([Buffer.from(bytes), tail]);
            }),
          // The signature cut short, and nothing after it.
          fc.nat(magic[type]!.length - 1).map((length) => Buffer.from(magic[type]!.slice(0, length))),
        ),
      ),
    );
    fc.assert(
      fc.property(nearMissArb, ([type, content]) => {
        const signature = magic[type]!;
        fc.pre(!signature.every((byte, i) => content[i] === byte));
        const mismatch = contentMismatch(type, content);
        expect(mismatch).toBe(
          content.length === 0 ? 'the file is empty' : `the content is not a ${type} file`,
        );
      }),
      { numRuns: 300 },
    );
  });

  it('takes any non-empty UTF-8 text without NUL as text, and refuses it with a NUL in it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...textTypes),
        fc.string({ unit: 'grapheme', minLength: 1 }),
        fc.nat(),
        (type, text, at) => {
          const clean = text.replaceAll('\u0000', '');
          fc.pre(clean.length > 0);
          expect(contentMismatch(type, Buffer.from(clean, 'utf8'))).toBeUndefined();
          const i = at % (clean.length + 1);
          const withNul = Buffer.from(`${clean.slice(0, i)}\u0000${clean.slice(i)}`, 'utf8');
          expect(contentMismatch(type, withNul)).toMatch(/NUL/);
        },
      ),
    );
  });

  it('refuses bytes that are not UTF-8 as text', () => {
    fc.assert(
      fc.property(fc.constantFrom(...textTypes), bytesArb, (type, bytes) => {
        const valid = Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes);
        const mismatch = contentMismatch(type, bytes);
        if (bytes.length === 0) expect(mismatch).toBe('the file is empty');
        else if (!valid) expect(mismatch).toMatch(/not UTF-8/);
        else expect(mismatch === undefined).toBe(!bytes.includes(0));
      }),
    );
  });
});
