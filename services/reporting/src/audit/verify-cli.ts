import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { ChainVerification, KnownHead } from './chain';
import { ChainVerifier } from './chain';

const usage = `usage: node verify-cli.js [audit.jsonl] [--known-head ENTRIES:HEAD]
Verifies an export of the audit trail (standard input without a file). --known-head takes the
entries and head of an earlier verification: the chain must still pass through that head.
Exit status: 0 intact, 1 broken, 2 unusable arguments or file.`;

/** What locating a break needs of a line; every other field counts through the hash alone, as read. */
const exportedEntry = z.looseObject({
  sequence: z.number().int(),
  eventId: z.string(),
  previousHash: z.string(),
  hash: z.string(),
});

export interface ExportVerification {
  verification: ChainVerification;
  /** A line that is no audit entry at all, where the verification stopped. */
  unreadable?: { line: number; issue: string };
}

/** Verifies an `audit.jsonl` export, line by line, up to the first break. */
export async function verifyExport(input: Readable, knownHead?: KnownHead): Promise<ExportVerification> {
  const verifier = new ChainVerifier(knownHead);
  let line = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line++;
    if (text.trim() === '') continue;
    const entry = parseLine(text);
    if (!entry.success) {
      input.destroy();
      return { verification: verifier.result(), unreadable: { line, issue: entry.issue } };
    }
    if (!verifier.add(entry.data)) {
      input.destroy();
      break;
    }
  }
  return { verification: verifier.result() };
}

function parseLine(
  text: string,
): { success: true; data: z.infer<typeof exportedEntry> } | { success: false; issue: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { success: false, issue: 'not JSON' };
  }
  const parsed = exportedEntry.safeParse(json);
  if (parsed.success) return parsed;
  return {
    success: false,
    issue: parsed.error.issues
      .map((issue) => `${issue.path.join('.') || 'line'}: ${issue.message}`)
      .join('; '),
  };
}

function report({ verification, unreadable }: ExportVerification): string[] {
  const { valid, entries, head, firstBroken } = verification;
  if (unreadable) {
    return [
      `audit trail BROKEN at line ${unreadable.line}: not an audit entry (${unreadable.issue})`,
      `entries intact before it: ${entries}, head ${head}`,
    ];
  }
  if (valid || !firstBroken) return [`audit trail valid: ${entries} entries, head ${head}`];
  const event = firstBroken.eventId === null ? '' : ` (event ${firstBroken.eventId})`;
  return [
    `audit trail BROKEN at entry ${firstBroken.sequence}${event}: ${firstBroken.reason}: ${firstBroken.detail}`,
    `entries intact before it: ${entries}, head ${head}`,
  ];
}

/** The command: prints the verification and answers its exit status. */
export async function main(
  args: string[],
  stdin: Readable = process.stdin,
  print: (line: string) => void = console.log,
): Promise<number> {
  const flag = args.indexOf('--known-head');
  const known = flag < 0 ? undefined : /^(\d+):([0-9a-f]{64})$/.exec(args[flag + 1] ?? '');
  const files = args.filter((_, i) => flag < 0 || (i !== flag && i !== flag + 1));
  if ((flag >= 0 && !known) || files.length > 1 || files.some((file) => file.startsWith('-'))) {
    print(usage);
    return 2;
  }
  const knownHead = known ? { entries: Number(known[1]), head: String(known[2]) } : undefined;
  const [file] = files;
  let result: ExportVerification;
  try {
    result = await verifyExport(file === undefined ? stdin : createReadStream(file), knownHead);
  } catch (error) {
    print(
      `cannot read ${file ?? 'standard input'}: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 2;
  }
  report(result).forEach((line) => print(line));
  return result.verification.valid && !result.unreadable ? 0 : 1;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
