import type { AnyEnvelope } from '@s3p/contracts';
import {
  commandsBetween,
  cpuTicksOf,
  ferretdbCommandsOf,
  lagOf,
  listeningInodes,
  parentPidOf,
  rssMbOf,
  stageReached,
} from '../src/platform-probe';
import type { PilotTemplate } from '../src/scenarios/auditor-reads';
import { clonePilot, templatesOf } from '../src/scenarios/auditor-reads';

describe('the platform probes’ arithmetic', () => {
  it('counts a partition without a committed offset from its start, and never below zero', () => {
    expect(
      lagOf([
        { committed: 10, low: 0, high: 15 },
        { committed: -1, low: 3, high: 7 },
        { committed: 9, low: 0, high: 9 },
        { committed: 12, low: 0, high: 9 },
      ]),
    ).toBe(9);
    expect(lagOf([])).toBe(0);
  });

  it('reads RSS, the parent pid and listening sockets from /proc', () => {
    expect(rssMbOf('Name:\tnode\nVmPeak:\t 999 kB\nVmRSS:\t  204800 kB\n')).toBe(200);
    expect(rssMbOf('Name:\tkthreadd\n')).toBeUndefined();
    expect(parentPidOf('4242 (node (a) b) S 4100 4242 4100 0 -1')).toBe(4100);
    const table = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:2384 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5551 1 0',
      '   1: 0100007F:2384 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 5552 1 0',
      '   2: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5553 1 0',
    ].join('\n');
    expect(listeningInodes(table, 9092)).toEqual(['5551']);
    expect(listeningInodes(table, 1234)).toEqual([]);
  });

  it('adds a process’s user and system ticks from its stat line, whatever its command is called', () => {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime …
    const stat = '4242 (node (a) b) S 4100 4242 4100 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 11';
    expect(cpuTicksOf(stat)).toBe(1801);
    expect(cpuTicksOf('')).toBeUndefined();
  });

  it('reads FerretDB’s request counters by command and tells what was asked between two readings', () => {
    const metrics = [
      '# HELP ferretdb_client_requests_total Total number of requests.',
      '# TYPE ferretdb_client_requests_total counter',
      'ferretdb_client_requests_total{command="find",opcode="OP_MSG"} 120',
      'ferretdb_client_requests_total{command="insert",opcode="OP_MSG"} 40',
      'ferretdb_client_requests_total{command="find",opcode="OP_QUERY"} 5',
      'ferretdb_client_responses_total{argument="unknown",command="find",opcode="OP_MSG",result="ok"} 119',
    ].join('\n');
    const before = ferretdbCommandsOf(metrics);
    expect(before).toEqual(
      new Map([
        ['find', 125],
        ['insert', 40],
      ]),
    );
    const after = new Map([
      ['find', 200],
      ['insert', 40],
      ['update', 7],
    ]);
    expect(commandsBetween(before, after)).toEqual([
      ['find', 75],
      ['update', 7],
    ]);
  });

  it('tells a stage change to the watched stage from anything else on the topic', () => {
    const change = (to: string) =>
      JSON.stringify({ type: 'lifecycle.stage-changed', data: { pilotId: 'p-1', to } });
    expect(stageReached(change('evaluation'), 'evaluation')).toBe('p-1');
    expect(stageReached(change('eligibility'), 'evaluation')).toBeUndefined();
    expect(stageReached('{"type":"lifecycle.reviewers-assigned"}', 'evaluation')).toBeUndefined();
    expect(stageReached('not json', 'evaluation')).toBeUndefined();
  });
});

describe('the pilots S3 copies', () => {
  const pilotId = '6f1c1a52-3d5e-4c1b-9a57-2d7c8b0e4f11';
  const correlationId = '0b7f3e2a-9c4d-4e8f-a1b2-c3d4e5f60718';
  const base = {
    subject: pilotId,
    occurredAt: '2026-05-01T10:00:00.000Z',
    correlationId,
    causationId: null,
    actor: { kind: 'system', name: 'test' },
    version: 1,
  } as const;
  const facts = {
    pilotId,
    callId: 'call-1',
    pilotType: 'industrial-transition',
    region: 'BG41',
    partners: [],
  };
  const template: PilotTemplate = {
    pilotId,
    events: [
      {
        topic: 'applications.events',
        event: {
          ...base,
          id: '1a2b3c4d-0000-4000-8000-000000000001',
          type: 'application.drafted',
          source: 'applications',
          data: { applicationId: pilotId, callId: 'call-1', region: 'BG41' },
        } as AnyEnvelope,
      },
      {
        topic: 'lifecycle.events',
        event: {
          ...base,
          id: '1a2b3c4d-0000-4000-8000-000000000002',
          type: 'lifecycle.stage-changed',
          source: 'lifecycle',
          causationId: '1a2b3c4d-0000-4000-8000-000000000001',
          data: { ...facts, sequence: 2, from: 'eligibility', to: 'evaluation', reason: 'Eligible.' },
        } as AnyEnvelope,
      },
    ],
  };

  it('gives a copy new pilot, event and correlation ids, consistently', () => {
    const copy = clonePilot(template, 'copy-1');
    expect(copy).toHaveLength(2);
    const [drafted, changed] = copy.map((c) => c.event);
    expect(drafted!.subject).toBe('copy-1');
    expect(drafted!.data).toEqual({ applicationId: 'copy-1', callId: 'call-1', region: 'BG41' });
    expect(drafted!.id).not.toBe(template.events[0]!.event.id);
    expect(changed!.causationId).toBe(drafted!.id);
    expect(changed!.correlationId).toBe(drafted!.correlationId);
    expect(changed!.correlationId).not.toBe(correlationId);
    expect(JSON.stringify(copy)).not.toContain(pilotId);
  });

  it('takes a copy on to implementation by stage changes that follow its own', () => {
    const copy = clonePilot(template, 'copy-2', {
      dueDates: ['2025-01-31'],
      at: new Date('2026-05-02T00:00:00Z'),
    });
    const changes = copy
      .filter((c) => c.event.type === 'lifecycle.stage-changed')
      .map((c) => c.event.data as { sequence: number; to: string });
    expect(changes.map((c) => [c.sequence, c.to])).toEqual([
      [2, 'evaluation'],
      [3, 'decision'],
      [4, 'expert-team'],
      [5, 'implementation'],
    ]);
  });

  it('takes as templates only the pilots whose story up to evaluation is on the wire', () => {
    expect(templatesOf(template.events).map((t) => t.pilotId)).toEqual([]);
  });
});
