import { PassThrough } from "node:stream";

/**
 * A terminal screen for tests: a writable stream that says it is a TTY and applies the cursor
 * movements readline and the playground write (CSI A/B/C/D/E/F/G/J/K, CR, LF), so a test can read
 * what a member would see rather than the raw escape codes. Styling (`CSI … m`) is dropped.
 */
export class VirtualTerminal extends PassThrough {
  readonly isTTY = true;
  readonly columns: number;
  readonly rows = 500;
  private screen: string[] = [""];
  private row = 0;
  private col = 0;
  /** Everything written, escapes included. */
  raw = "";

  constructor(columns = 80) {
    super();
    this.columns = columns;
    this.setEncoding("utf8");
    this.on("data", (chunk: string) => {
      this.raw += chunk;
      this.apply(chunk);
    });
  }

  /** The screen as lines, trailing spaces trimmed, trailing empty lines dropped. */
  lines(): string[] {
    const lines = this.screen.map((line) => line.trimEnd());
    while (lines.length > 0 && lines.at(-1) === "") lines.pop();
    return lines;
  }

  /** The line the cursor is on. */
  cursorLine(): string {
    return (this.screen[this.row] ?? "").trimEnd();
  }

  private put(char: string): void {
    if (this.col >= this.columns) {
      this.row += 1;
      this.col = 0;
    }
    while (this.screen.length <= this.row) this.screen.push("");
    const line = (this.screen[this.row] ?? "").padEnd(this.col);
    this.screen[this.row] = line.slice(0, this.col) + char + line.slice(this.col + 1);
    this.col += 1;
  }

  private apply(text: string): void {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences
    const tokens = text.match(/\x1b\[[0-9;]*[A-Za-z]|[\s\S]/gu) ?? [];
    for (const token of tokens) {
      if (token === "\r") this.col = 0;
      else if (token === "\n") {
        this.row += 1;
        this.col = 0;
        while (this.screen.length <= this.row) this.screen.push("");
      } else if (token.startsWith("\x1b[")) this.escape(token);
      else this.put(token);
    }
  }

  private escape(token: string): void {
    const command = token.at(-1);
    const argument = token.slice(2, -1);
    const count = argument === "" ? 1 : Number(argument.split(";")[0]);
    switch (command) {
      case "A":
        this.row = Math.max(0, this.row - count);
        break;
      case "B":
        this.row += count;
        break;
      case "C":
        this.col = Math.min(this.columns - 1, this.col + count);
        break;
      case "D":
        this.col = Math.max(0, this.col - count);
        break;
      case "E":
        this.row += count;
        this.col = 0;
        break;
      case "F":
        this.row = Math.max(0, this.row - count);
        this.col = 0;
        break;
      case "G":
        this.col = Math.max(0, count - 1);
        break;
      case "J":
        this.screen = this.screen.slice(0, this.row + 1);
        this.screen[this.row] = (this.screen[this.row] ?? "").slice(0, this.col);
        break;
      case "K":
        this.screen[this.row] = argument === "2" ? "" : (this.screen[this.row] ?? "").slice(0, this.col);
        break;
      default:
        break;
    }
    while (this.screen.length <= this.row) this.screen.push("");
  }
}
