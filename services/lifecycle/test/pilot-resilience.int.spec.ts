import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { TestLifecycle } from './support';
import {
  eventually,
  openCall,
  seedReviewers,
  stageOf,
  startTestLifecycle,
  submitted,
  submittedApplication,
  toDecision,
} from './support';

let t: TestLifecycle;

beforeAll(async () => {
  t = await startTestLifecycle('pilot-resilience');
  await seedReviewers(t, [
    { id: 'rev-nl', country: 'NL' },
    { id: 'rev-at', country: 'AT' },
    { id: 'rev-ie', country: 'IE' },
  ]);
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

describe('budget', () => {
  it('never commits more than the call has, however many approvals arrive at once', async () => {
    // Room for two pilots of 200 000 euro, not three.
    const callId = await openCall(t, { totalBudget: 500_000_00, perApplicationCeiling: 200_000_00 });
    const pilots = [];
    for (let i = 0; i < 5; i++) pilots.push(await toDecision(t, callId));
    const approvers = await Promise.all(['approver1', 'approver2'].map((sub) => t.as(sub, ['approver'])));
    const answers = await Promise.all(
      pilots.map((pilotId, i) =>
        approvers[i % 2]!('POST', `/api/pilots/${pilotId}/decision`, {
          decision: 'approve',
          reasons: 'Good.',
        }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, 201, 409, 409, 409]);
    for (const refused of answers.filter((a) => a.status === 409)) {
      expect(refused.body.detail).toMatch(/budget could not be reserved/);
    }
    const call = await (await t.callsAs('manager', ['programme-manager']))('GET', `/api/calls/${callId}`);
    expect(call.body.committedBudget).toBe(400_000_00);
    // The refused pilots still wait for a decision, which may be another one.
    const manager = await t.as('manager', ['programme-manager']);
    for (const [i, answer] of answers.entries()) {
      const pilot = await manager('GET', `/api/pilots/${pilots[i]}`);
      expect(pilot.body.stage).toBe(answer.status === 201 ? 'expert-team' : 'decision');
    }
  }, 180_000);
});

describe('a worker killed in the middle of an activity', () => {
  it('leaves the pilot to continue when a worker returns', async () => {
    // The calls service behind a gate that holds its first request: the activity reading the call
    // is then under way when the worker dies.
    let hold = true;
    let held = 0;
    const gate = createServer((req, res) => {
      if (hold) {
        held += 1;
        return;
      }
      void fetch(`${t.calls.url}${req.url}`, {
        headers: { authorization: req.headers.authorization ?? '' },
      }).then(async (answer) => {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(await answer.text());
      });
    });
    await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
    const gateUrl = `http://127.0.0.1:${(gate.address() as AddressInfo).port}`;
    await t.stopLifecycle();

    const start = (): ChildProcess =>
      spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'src', 'index.ts')], {
        cwd: path.join(__dirname, '..'),
        env: { ...process.env, ...t.environment, CALLS_URL: gateUrl, LOG_LEVEL: 'warn' },
        stdio: 'ignore',
      });
    let worker = start();
    try {
      const callId = await openCall(t);
      const application = submittedApplication(callId);
      await t.publish('applications', submitted(application));
      await eventually(async () => held > 0, 'the activity reading the call under way', 60_000);

      worker.kill('SIGKILL');
      await new Promise((resolve) => worker.once('exit', resolve));
      hold = false;
      worker = start();
      await t.restartLifecycle();
      // The lost attempt times out on the server (after 30 s), and a returning worker retries it.
      const pilot = await stageOf(
        t,
        application.id,
        'evaluation',
        90_000,
        (p) => p.pendingTasks.length === 2,
      );
      expect(pilot.history.map((c: { to: string }) => c.to)).toEqual([
        'submitted',
        'eligibility',
        'evaluation',
      ]);
    } finally {
      worker.kill('SIGKILL');
      gate.close();
      gate.closeAllConnections();
    }
  }, 180_000);
});
