import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { StoredCall } from './store/call-store';
import type { callSchedule } from './workflows';
import type { CallScheduleInput, CallScheduleView, Reschedule } from './workflows/messages';
import {
  callScheduleWorkflowType,
  closeSignal,
  rescheduleSignal,
  viewQuery,
  workflowIdOf,
} from './workflows/messages';

/**
 * The calls service's side of the call workflows: one per published call, id `call-<callId>`.
 * A workflow id is never reused once its call closed (the workflow completed), and starting it
 * again while it runs returns the running one, so a retried publication starts nothing twice.
 */
export class CallScheduler {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  private options(input: CallScheduleInput) {
    return {
      taskQueue: this.taskQueue,
      workflowId: workflowIdOf(input.callId),
      args: [input] as [CallScheduleInput],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY' as const,
    };
  }

  /** Starts the call's timers unless they run already (or ran to the end). */
  async start(input: CallScheduleInput): Promise<void> {
    try {
      await this.client.workflow.start<typeof callSchedule>(callScheduleWorkflowType, {
        ...this.options(input),
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
    } catch (error) {
      // Completed: the call has closed, and its timers have nothing left to do.
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }

  /** Re-arms the timers with the call's new dates, starting them if they were never started. */
  async reschedule(input: CallScheduleInput): Promise<void> {
    await this.client.workflow.signalWithStart<typeof callSchedule, [Reschedule]>(callScheduleWorkflowType, {
      ...this.options(input),
      signal: rescheduleSignal,
      signalArgs: [{ opensAt: input.opensAt, closesAt: input.closesAt, version: input.version }],
    });
  }

  /** The call was closed by hand: its workflow ends. Nothing to do when none runs. */
  async close(callId: string): Promise<void> {
    try {
      await this.client.workflow.getHandle(workflowIdOf(callId)).signal(closeSignal);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }

  view(callId: string): Promise<CallScheduleView> {
    return this.client.workflow.getHandle(workflowIdOf(callId)).query(viewQuery);
  }
}

/** What the call workflow starts from: the call as stored, and the trail its events continue. */
export function scheduleInputOf(call: StoredCall, correlationId: string): CallScheduleInput {
  return {
    callId: call._id,
    status: call.status === 'draft' ? ('scheduled' as const) : call.status,
    opensAt: call.opensAt,
    closesAt: call.closesAt,
    version: call.version,
    correlationId,
  };
}
