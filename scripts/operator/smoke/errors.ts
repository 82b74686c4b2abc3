/** A reason not to start: exit 2, nothing created. */
export class Refusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Refusal';
  }
}

/** The operator interrupted the run (SIGINT/SIGTERM): stop where we are and clean up. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
    this.name = 'Interrupted';
  }
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new Interrupted();
}
