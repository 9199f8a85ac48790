/** Records each call so the test can see that the activity ran exactly once, and where. */
export const calls: string[] = [];

export function createActivities(workerName: string) {
  return {
    async describeOutcome(approver: string, notes: string[]): Promise<string> {
      calls.push(workerName);
      return `approved by ${approver} with ${notes.length} note(s) on ${workerName}`;
    },
  };
}
