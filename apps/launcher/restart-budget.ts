/**
 * How often the launcher starts a process again that died on its own: at most `limit` times within
 * `windowMs`. Past that it is not a passing crash (a worker that cannot start, a port someone took)
 * and the launcher stops everything instead of looping.
 */
export class RestartBudget {
  private readonly restarts: number[] = [];

  constructor(
    readonly limit = 5,
    readonly windowMs = 60_000,
  ) {}

  /** Takes one restart at `now` if the budget allows it; false when it is spent. */
  take(now = Date.now()): boolean {
    while (this.restarts.length > 0 && now - this.restarts[0] >= this.windowMs) this.restarts.shift();
    if (this.restarts.length >= this.limit) return false;
    this.restarts.push(now);
    return true;
  }

  /** Restarts taken within the window ending at `now`. */
  taken(now = Date.now()): number {
    return this.restarts.filter((at) => now - at < this.windowMs).length;
  }
}
