// One live line per node. On a terminal the block of lines is redrawn in place; otherwise (a pipe, a CI log) a line
// is written each time a node's state changes.
import { humanDuration } from '../common/human-duration.js';

export interface Writable {
  write(text: string): unknown;
  isTTY?: boolean;
}

export class Progress {
  private readonly lines = new Map<string, { text: string; since: number }>();
  private drawn = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly out: Writable,
    private readonly started = Date.now(),
  ) {
    if (out.isTTY) this.timer = setInterval(() => this.redraw(), 1000);
  }

  set(key: string, text: string): void {
    if (this.lines.get(key)?.text === text) return;
    this.lines.set(key, { text, since: Date.now() });
    if (this.out.isTTY) this.redraw();
    else this.out.write(`${key} ${text}\n`);
  }

  stop(): void {
    clearInterval(this.timer);
    if (this.out.isTTY) this.redraw();
  }

  private redraw(): void {
    const elapsed = humanDuration(Date.now() - this.started);
    let block = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    for (const [key, { text }] of this.lines) block += `\x1b[2K${key} ${text} [${elapsed}]\n`;
    this.drawn = this.lines.size;
    this.out.write(block);
  }
}
