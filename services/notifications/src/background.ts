/**
 * A loop of passes in the background: a pass runs again at once when it says there is more to
 * do, else after `idleMs` or when poked. `stop()` waits for the pass under way to finish.
 */
export class Background {
  private running?: Promise<void>;
  private stopping = false;
  /** Poked while a pass ran: the work it announced may have come too late for that pass. */
  private poked = false;
  private wake?: () => void;

  constructor(
    private readonly pass: () => Promise<boolean>,
    private readonly idleMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = (async () => {
      while (!this.stopping) {
        let more = false;
        this.poked = false;
        try {
          more = await this.pass();
        } catch (error) {
          this.onError(error);
        }
        if (!more && !this.stopping) await this.pause();
      }
    })();
  }

  poke(): void {
    this.poked = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.poke();
    await this.running;
    this.running = undefined;
  }

  private pause(): Promise<void> {
    if (this.poked) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.idleMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
