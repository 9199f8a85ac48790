import type { reportFileTypes } from '@s3p/contracts';

type ReportFileType = (typeof reportFileTypes)[number];

const startsWith = (content: Buffer, signature: number[]) =>
  content.length >= signature.length && signature.every((byte, i) => content[i] === byte);

const zip = [0x50, 0x4b, 0x03, 0x04];

/** The first bytes each type must start with: a file is what its content is, not what it is called. */
const signatures: Partial<Record<ReportFileType, number[]>> = {
  'application/pdf': [0x25, 0x50, 0x44, 0x46, 0x2d],
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  'image/jpeg': [0xff, 0xd8, 0xff],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': zip,
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': zip,
  'application/vnd.oasis.opendocument.text': zip,
  'application/vnd.oasis.opendocument.spreadsheet': zip,
};

/** Why the content is not a file of the declared type; undefined when it is. */
export function contentMismatch(type: ReportFileType, content: Buffer): string | undefined {
  if (content.length === 0) return 'the file is empty';
  const signature = signatures[type];
  if (signature) return startsWith(content, signature) ? undefined : `the content is not a ${type} file`;
  // Text types: valid UTF-8 without NUL bytes.
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(content);
    return text.includes('\u0000') ? `the content is not ${type} (it holds NUL bytes)` : undefined;
  } catch {
    return `the content is not ${type} (not UTF-8 text)`;
  }
}
