import net from 'node:net';
import { isolation, mailpit, stackEndpoints } from '../src';

const { SMTP_URL } = stackEndpoints();
const { mailDomain } = isolation('mailpit-smoke');
const mail = mailpit();
const ownMail = `to:@${mailDomain}`;

/**
 * Speaks just enough SMTP (RFC 5321) to hand one message over: the test reads back, through the
 * helper, what really crossed the SMTP port, with no mail library in between.
 */
async function sendMail(url: string, envelope: { from: string; to: string[] }, data: string): Promise<void> {
  const { hostname, port } = new URL(url);
  const socket = net.connect({ host: hostname, port: Number(port) });
  socket.setTimeout(5_000, () => socket.destroy(new Error('SMTP conversation timed out')));
  let buffered = '';
  const waiting: { code: string; resolve: () => void; reject: (e: Error) => void }[] = [];
  const fail = (error: Error) => waiting.splice(0).forEach((w) => w.reject(error));
  socket.on('error', fail);
  socket.on('close', () => fail(new Error(`SMTP connection closed; last reply: ${buffered}`)));
  socket.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('latin1');
    // A reply is complete at a line `NNN text` (a space, not `NNN-`, after the code).
    const lines = buffered.split('\r\n');
    const last = lines.findIndex((line) => /^\d{3}( |$)/.test(line));
    if (last === -1) return;
    const reply = lines.slice(0, last + 1).join('\n');
    buffered = lines.slice(last + 1).join('\r\n');
    const next = waiting.shift();
    if (!next) return;
    if (reply.slice(0, 3) === next.code) next.resolve();
    else next.reject(new Error(`SMTP: expected ${next.code}, got: ${reply}`));
  });
  const expect = (code: string) =>
    new Promise<void>((resolve, reject) => waiting.push({ code, resolve, reject }));
  const say = (line: string, code: string) => {
    const reply = expect(code);
    socket.write(`${line}\r\n`);
    return reply;
  };
  try {
    await expect('220');
    await say('EHLO testkit.test', '250');
    await say(`MAIL FROM:<${envelope.from}>`, '250');
    for (const to of envelope.to) await say(`RCPT TO:<${to}>`, '250');
    await say('DATA', '354');
    // Dot-stuffing: a line that starts with '.' gets another in front of it.
    const body = data.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
    await say(`${body}\r\n.`, '250');
    await say('QUIT', '221');
  } finally {
    socket.destroy();
  }
}

/** A multipart message with a text and an HTML body, an encoded non-ASCII subject and a custom header. */
function multipartMessage(o: { from: string; to: string; subject: string; id: string }): string {
  const boundary = `b-${o.id}`;
  const subject = `=?UTF-8?B?${Buffer.from(o.subject, 'utf8').toString('base64')}?=`;
  return [
    `From: S3 Pilot Platform <${o.from}>`,
    `To: Coordinator <${o.to}>`,
    `Subject: ${subject}`,
    `Message-ID: <${o.id}@s3p.test>`,
    `Date: ${new Date().toUTCString()}`,
    `X-S3P-Pilot: ${o.id}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Your pilot application has been approved.',
    '.a line that starts with a dot',
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    '',
    '<p>Your pilot application has been <strong>approved</strong>.</p>',
    `--${boundary}--`,
    '',
  ].join('\n');
}

afterAll(async () => {
  await mail.deleteAll(ownMail);
});

test('a message sent over SMTP is read back through the Mailpit API, bodies and headers', async () => {
  const id = `approval-${Date.now()}`;
  const to = `coordinator@${mailDomain}`;
  const subject = 'Pilot approved: Région Île-de-France';
  await sendMail(
    SMTP_URL,
    { from: 'noreply@s3p.test', to: [to] },
    multipartMessage({ from: 'noreply@s3p.test', to, subject, id }),
  );

  const [summary] = await mail.waitForMessages((m) => m.messageId === `${id}@s3p.test`, 10_000, {
    search: ownMail,
  });
  expect(summary).toMatchObject({
    subject,
    from: { name: 'S3 Pilot Platform', address: 'noreply@s3p.test' },
    to: [{ name: 'Coordinator', address: to }],
  });

  const message = await mail.message(summary!.id);
  expect(message.text).toContain('Your pilot application has been approved.');
  expect(message.text).toContain('\n.a line that starts with a dot');
  expect(message.html).toContain('<strong>approved</strong>');
  // Header names come in Go's canonical form: X-S3P-Pilot is listed as X-S3p-Pilot.
  expect(message.headers['X-S3p-Pilot']).toEqual([id]);
  expect(message.subject).toBe(subject);

  expect((await mail.messages(`${ownMail} subject:"Île-de-France"`)).map((m) => m.id)).toEqual([summary!.id]);
});

test('messages can be waited for by count, and deleted by search alone', async () => {
  const to = `experts@${mailDomain}`;
  for (const n of [1, 2, 3]) {
    await sendMail(
      SMTP_URL,
      { from: 'noreply@s3p.test', to: [to] },
      `From: noreply@s3p.test\nTo: ${to}\nSubject: Expert invitation ${n}\n\nPlease review pilot ${n}.\n`,
    );
  }
  const invitations = await mail.waitForMessages((m) => m.subject.startsWith('Expert invitation'), 10_000, {
    search: `to:${to}`,
    count: 3,
  });
  expect(invitations.map((m) => m.subject).sort()).toEqual([
    'Expert invitation 1',
    'Expert invitation 2',
    'Expert invitation 3',
  ]);

  await mail.deleteAll(`to:${to}`);
  expect(await mail.messages(`to:${to}`)).toEqual([]);
});

test('waiting for a message that never comes fails with what was expected', async () => {
  await expect(mail.waitForMessages(() => true, 300, { search: `to:nobody@${mailDomain}` })).rejects.toThrow(
    /0 of 1 expected message\(s\)/,
  );
});
