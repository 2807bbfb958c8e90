// The run's log as its report keeps it: the newest lines, each cut to a length, and how many
// there were in all (`baton logs` pages through them by that count). Owned by the run's tracker.

/** Log lines kept in the report (the newest); a report must stay well under Temporal's 2 MB. */
export const MAX_LOG_LINES = 1000;
const MAX_LOG_LINE_CHARS = 4000;

export class RunLog {
  private readonly kept: string[] = [];
  private dropped = 0;
  private count = 0;

  add(line: string): void {
    this.count++;
    this.kept.push(line.length > MAX_LOG_LINE_CHARS ? `${line.slice(0, MAX_LOG_LINE_CHARS)}…` : line);
    if (this.kept.length > MAX_LOG_LINES) {
      this.kept.shift();
      this.dropped++;
    }
  }

  /** The log lines of the runs this one continued from: `total` of them were shown, `lines` are the newest. */
  restore(lines: string[], total: number): void {
    for (const line of lines) this.add(line);
    this.count = Math.max(this.count, total);
  }

  /** The lines kept, after a note of how many earlier ones were dropped. */
  lines(): string[] {
    return this.dropped > 0 ? [`(${this.dropped} earlier log lines dropped)`, ...this.kept] : [...this.kept];
  }

  /** Every line logged so far, kept or not. */
  get total(): number {
    return this.count;
  }
}
