/** The progress line on stderr: rewritten in place on a terminal, one line per change of state otherwise. */
export class ProgressLine {
  private shown = '';

  constructor(private readonly out: { write(text: string): unknown; isTTY?: boolean }) {}

  /** The line while work runs; `key` is what must change for a log (not a terminal) to get a new line. */
  update(line: string, key: string): void {
    if (this.out.isTTY) {
      this.out.write(`\r${line}\x1b[K`);
    } else if (key !== this.shown) {
      this.out.write(`${line}\n`);
    }
    this.shown = key;
  }

  /** The last line of a piece of work, kept. */
  done(line: string): void {
    this.out.write(this.out.isTTY ? `\r${line}\x1b[K\n` : `${line}\n`);
    this.shown = '';
  }
}
