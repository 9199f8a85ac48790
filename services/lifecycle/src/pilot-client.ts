import type { SubmissionReceipt, SubmittedApplication } from '@s3p/contracts';
import type { Client } from '@temporalio/client';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { SignalDefinition, UpdateDefinition } from '@temporalio/common';
import type { pilot } from './workflows';
import type { PilotTiming, PilotView, Sender } from './workflows/messages';
import { pilotQuery, pilotWorkflowType, resubmitUpdate, workflowIdOf } from './workflows/messages';

/** The lifecycle's side of the pilot workflows: start them, ask them, send them people's steps. */
export class PilotClient {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly timing: PilotTiming,
  ) {}

  /**
   * Starts the application's pilot; false when it was started before (a redelivered
   * `application.submitted`): a pilot id is never reused, even after its workflow ended.
   */
  async start(
    application: SubmittedApplication,
    receipt: SubmissionReceipt,
    correlationId: string,
  ): Promise<boolean> {
    try {
      await this.client.workflow.start<typeof pilot>(pilotWorkflowType, {
        taskQueue: this.taskQueue,
        workflowId: workflowIdOf(application.id),
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [{ application, receipt, timing: this.timing, correlationId }],
      });
      return true;
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
      throw error;
    }
  }

  /** The pilot as its workflow answers; undefined when there is no workflow for it. */
  async view(pilotId: string): Promise<PilotView | undefined> {
    try {
      return await this.client.workflow.getHandle(workflowIdOf(pilotId)).query(pilotQuery);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  }

  /** A person's step; the workflow's validator or handler may refuse it (WorkflowUpdateFailedError). */
  update<Arg>(pilotId: string, update: UpdateDefinition<PilotView, [Arg]>, arg: Arg): Promise<PilotView> {
    return this.client.workflow.getHandle(workflowIdOf(pilotId)).executeUpdate(update, { args: [arg] });
  }

  /**
   * Takes up a resubmission for the pilot in revision. False when the pilot is not waiting for
   * one (a redelivery, a resubmission already named through the API, or one after the deadline,
   * which the applications service refuses too).
   */
  async resubmitted(
    application: SubmittedApplication,
    submissionVersion: number,
    by: Sender,
  ): Promise<boolean> {
    try {
      await this.update(application.id, resubmitUpdate, { by, submissionVersion });
      return true;
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError || error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }

  /** Another service's event; nothing to do when the pilot has no workflow (or it has ended). */
  async signal<Arg>(pilotId: string, signal: SignalDefinition<[Arg]>, arg: Arg): Promise<boolean> {
    try {
      await this.client.workflow.getHandle(workflowIdOf(pilotId)).signal(signal, arg);
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }

  async signalEvery(pilotIds: string[], signal: SignalDefinition<[]>): Promise<void> {
    for (const pilotId of pilotIds) {
      try {
        await this.client.workflow.getHandle(workflowIdOf(pilotId)).signal(signal);
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
    }
  }
}
