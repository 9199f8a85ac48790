import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { SignalDefinition, UpdateDefinition } from '@temporalio/common';
import type { team } from './workflows';
import type { TeamInput, TeamTiming, TeamView } from './workflows/messages';
import { teamQuery, teamWorkflowType, workflowIdOf } from './workflows/messages';

/** The experts service's side of the team workflows: start them, ask them, send them people's steps. */
export class TeamClient {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly timing: TeamTiming,
  ) {}

  /** Starts the pilot's team; false when it was started before (a redelivered `pilot.approved`). */
  async start(input: Omit<TeamInput, 'timing'>): Promise<boolean> {
    try {
      await this.client.workflow.start<typeof team>(teamWorkflowType, {
        taskQueue: this.taskQueue,
        workflowId: workflowIdOf(input.pilotId),
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [{ ...input, timing: this.timing }],
      });
      return true;
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
      throw error;
    }
  }

  /** The team as its workflow answers; undefined when there is no workflow for it. */
  async view(pilotId: string): Promise<TeamView | undefined> {
    try {
      return await this.client.workflow.getHandle(workflowIdOf(pilotId)).query(teamQuery);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  }

  /** A person's step; the workflow's validator may refuse it (WorkflowUpdateFailedError). */
  update<Arg>(pilotId: string, update: UpdateDefinition<TeamView, [Arg]>, arg: Arg): Promise<TeamView> {
    return this.client.workflow.getHandle(workflowIdOf(pilotId)).executeUpdate(update, { args: [arg] });
  }

  /** Another service's event; nothing to do when the pilot has no team (or its workflow has ended). */
  async signal<Arg>(pilotId: string, signal: SignalDefinition<[Arg]>, arg: Arg): Promise<boolean> {
    try {
      await this.client.workflow.getHandle(workflowIdOf(pilotId)).signal(signal, arg);
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }
}
