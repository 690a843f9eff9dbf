import { ClassService } from "../../src/classes/ClassService.ts";
import type { OpenedDatabase } from "../../src/db/openDatabase.ts";
import { createLogger } from "../../src/logger.ts";
import type { MessageAddress, MessageEditor } from "../../src/ui/interaction.ts";
import { LiveMessages } from "../../src/ui/LiveMessages.ts";
import type { View } from "../../src/ui/view.ts";
import { sampleContent } from "../quiz/fixtures.ts";
import { ManualScheduler } from "../support/manualScheduler.ts";

/** Messages as the platform would hold them after the service's edits. */
export class RecordingEditor implements MessageEditor {
  readonly edits: { address: MessageAddress; view: View }[] = [];

  async edit(address: MessageAddress, view: View): Promise<void> {
    this.edits.push({ address, view });
  }

  /** The last view the message was edited to. */
  last(messageId: string): View | undefined {
    return this.edits.filter((edit) => edit.address.messageId === messageId).at(-1)?.view;
  }
}

/** A clock the test moves. */
export class TestClock {
  constructor(private time = Date.parse("2026-03-02T18:00:00Z")) {}
  now = (): Date => new Date(this.time);
  advance(ms: number): void {
    this.time += ms;
  }
}

export function createClassService(
  database: OpenedDatabase,
  options: { idleMinutes?: number; maxAnswerBatch?: number } = {},
) {
  const clock = new TestClock();
  const scheduler = new ManualScheduler();
  const editor = new RecordingEditor();
  const content = sampleContent();
  const service = new ClassService({
    db: database.db,
    content,
    liveMessages: new LiveMessages(editor),
    logger: createLogger("silent"),
    now: clock.now,
    random: () => 0.5,
    scheduler,
    idleMinutes: options.idleMinutes,
    maxAnswerBatch: options.maxAnswerBatch,
  });
  return { service, clock, scheduler, editor, content };
}

export const guildId = "900000000000000001";
export const channelId = "900000000000000002";

export function inChannel(userId: string, extra: { channelId?: string; canManageServer?: boolean } = {}) {
  return {
    guildId,
    channelId: extra.channelId ?? channelId,
    actor: { id: userId, displayName: `Member ${userId}` },
    canManageServer: extra.canManageServer,
  };
}
