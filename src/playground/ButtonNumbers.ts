import type { ViewButton } from "../ui/view.ts";

export interface ButtonNumbersOptions {
  /** How many messages keep their numbering; older ones are forgotten. Default 200. */
  maxMessages?: number;
}

/**
 * Gives each button of a message a number that stays the same across updates of that message,
 * so a number typed while the message changes (a lesson's next page, a streaming /compare) still
 * means the button the member saw. A button is known by its label (and which occurrence of that
 * label it is), since ids carry per-page data; a label seen for the first time on a message gets
 * the next unused number, and a number is never given to another label on the same message.
 */
export class ButtonNumbers {
  private readonly byMessage = new Map<string, Map<string, number>>();
  private readonly maxMessages: number;

  constructor(options: ButtonNumbersOptions = {}) {
    this.maxMessages = options.maxMessages ?? 200;
  }

  /** Numbers the buttons of `messageId` as it is now: button id → number. */
  assign(messageId: string, rows: readonly (readonly ViewButton[])[]): Map<string, number> {
    const known = this.byMessage.get(messageId) ?? new Map<string, number>();
    this.byMessage.delete(messageId);
    this.byMessage.set(messageId, known);
    for (const oldest of this.byMessage.keys()) {
      if (this.byMessage.size <= this.maxMessages) break;
      this.byMessage.delete(oldest);
    }
    let next = Math.max(0, ...known.values()) + 1;
    const occurrences = new Map<string, number>();
    const numbers = new Map<string, number>();
    for (const button of rows.flat()) {
      const occurrence = occurrences.get(button.label) ?? 0;
      occurrences.set(button.label, occurrence + 1);
      const key = `${occurrence}:${button.label}`;
      let number = known.get(key);
      if (number === undefined) {
        number = next++;
        known.set(key, number);
      }
      numbers.set(button.id, number);
    }
    return numbers;
  }
}
