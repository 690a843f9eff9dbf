import { SerialQueue } from "../async/SerialQueue.ts";
import type { MessageAddress, MessageEditor } from "./interaction.ts";
import { ThrottledEditor } from "./ThrottledEditor.ts";
import type { View } from "./view.ts";

export interface LiveMessagesOptions {
  /** Shortest gap between two streamed edits of one message, in ms. Default 1000. */
  minIntervalMs?: number;
  /** Told about a streamed edit that failed (the stream goes on with the next one). */
  onError?: (error: unknown, address: MessageAddress) => void;
}

/** A message being streamed into: the newest view is shown at most once per interval. */
export interface LiveStream {
  /** Records the newest state; it is sent when the rate allows. */
  show(view: View): void;
  /** Sends the final state (after any edit in flight), then stops the stream. */
  finish(view: View, options?: { immediate?: boolean }): Promise<void>;
  /** Edits sent so far. */
  readonly edits: number;
}

/**
 * The one way features change messages after answering an interaction: streamed replies,
 * vote reveals from a timer, edits after the interaction token has expired. The platform's
 * {@link MessageEditor} decides how an edit reaches the message; this service makes sure edits
 * of one message never overtake each other and that streams respect the edit rate. Created once
 * in the composition root and injected into the features that need it.
 */
export class LiveMessages {
  /** One queue per message being edited; dropped once it is idle. */
  private readonly queues = new Map<string, { queue: SerialQueue; pending: number }>();

  constructor(
    private readonly editor: MessageEditor,
    private readonly options: LiveMessagesOptions = {},
  ) {}

  /** Replaces the message's content now, after any earlier edit of it has finished. */
  edit(address: MessageAddress, view: View): Promise<void> {
    const key = `${address.channelId}/${address.messageId}`;
    let entry = this.queues.get(key);
    if (!entry) {
      entry = { queue: new SerialQueue(), pending: 0 };
      this.queues.set(key, entry);
    }
    const current = entry;
    current.pending += 1;
    return current.queue
      .run(() => this.editor.edit(address, view))
      .finally(() => {
        current.pending -= 1;
        if (current.pending === 0 && this.queues.get(key) === current) this.queues.delete(key);
      });
  }

  /** Starts streaming into a message posted earlier. */
  stream(address: MessageAddress): LiveStream {
    return new ThrottledEditor(
      { edit: (view) => this.edit(address, view) },
      {
        minIntervalMs: this.options.minIntervalMs,
        onError: (error) => this.options.onError?.(error, address),
      },
    );
  }
}
