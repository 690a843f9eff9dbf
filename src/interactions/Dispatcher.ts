import type { SlashCommand } from "../../commands/command.ts";
import { DatabaseUnavailableError } from "../db/DatabaseUnavailableError.ts";
import { UserError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { Services } from "../services.ts";
import { discordLimits } from "../ui/discordLimits.ts";
import type {
  AutocompleteChoice,
  ButtonInvocation,
  CommandInvocation,
  Invocation,
} from "../ui/interaction.ts";
import type { View } from "../ui/view.ts";

// Claims nothing about what was saved: the failure may have come before or after a write.
const genericApology =
  "Sorry, something went wrong on my side while handling that. Please try again in a moment.";
const databaseBusy =
  "The progress database is busy right now, so nothing was saved for that. Please try again in a moment.";
const cannotSave =
  "I couldn't save that: the progress database can't take new writes right now (its disk is full or read-only). What you just did was not saved; everything saved before is intact. Please try again later.";
const shuttingDown = "I'm restarting right now, so I can't take that. Please try again in a minute.";

/** A polite, ephemeral note, used for every expected failure. */
export function noticeView(message: string): View {
  return { embeds: [{ description: `⚠️ ${message}`, color: "warning" }], ephemeral: true };
}

/**
 * Routes commands, buttons and autocomplete to their handlers, for Discord and the playground
 * alike. It is the one place that turns failures into replies: a {@link UserError} is told to the
 * member as it is; anything else is logged with context and answered with a generic apology. One
 * bad interaction never takes the bot down. It also tracks running work so shutdown can wait.
 */
export class Dispatcher {
  private readonly commandsByName = new Map<string, SlashCommand>();
  private readonly buttonHandlers = new Map<string, NonNullable<SlashCommand["buttons"]>[string]>();
  private readonly running = new Set<Promise<void>>();
  private accepting = true;

  constructor(
    commands: readonly SlashCommand[],
    private readonly services: Services,
    private readonly logger: Logger,
  ) {
    for (const command of commands) {
      this.commandsByName.set(command.data.name, command);
      for (const [prefix, handler] of Object.entries(command.buttons ?? {})) {
        if (this.buttonHandlers.has(prefix))
          throw new Error(`Two commands claim the button prefix "${prefix}"`);
        this.buttonHandlers.set(prefix, handler);
      }
    }
  }

  get commands(): SlashCommand[] {
    return [...this.commandsByName.values()];
  }

  findCommand(name: string): SlashCommand | undefined {
    return this.commandsByName.get(name);
  }

  runCommand(invocation: CommandInvocation): Promise<void> {
    return this.track(invocation, { kind: "command", name: invocation.commandName }, async () => {
      const command = this.commandsByName.get(invocation.commandName);
      if (!command)
        throw new UserError(`I don't know the command /${invocation.commandName}. It may have been removed.`);
      await command.execute(this.services, invocation);
    });
  }

  runButton(invocation: ButtonInvocation): Promise<void> {
    const prefix = invocation.customId.split(":", 1)[0] ?? "";
    return this.track(invocation, { kind: "button", name: prefix }, async () => {
      const handler = this.buttonHandlers.get(prefix);
      if (!handler)
        throw new UserError("This button belongs to a feature that no longer exists. Run the command again.");
      await handler(this.services, invocation);
    });
  }

  async autocomplete(
    commandName: string,
    focused: { name: string; value: string },
    invocation: Omit<Invocation, "reply">,
  ): Promise<AutocompleteChoice[]> {
    const command = this.commandsByName.get(commandName);
    if (!command?.autocomplete || !this.accepting) return [];
    try {
      const choices = await command.autocomplete(this.services, focused, invocation);
      return choices.slice(0, discordLimits.autocompleteChoices).map((choice) => ({
        name: choice.name.slice(0, discordLimits.choiceName),
        value: choice.value.slice(0, discordLimits.choiceName),
      }));
    } catch (error) {
      this.logger.error({ err: error, commandName, focused: focused.name }, "autocomplete failed");
      return [];
    }
  }

  /** Stops taking new work and waits (up to `timeoutMs`) for running handlers to finish. */
  async close(timeoutMs = 10_000): Promise<void> {
    this.accepting = false;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.running]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }

  get busy(): number {
    return this.running.size;
  }

  private track(
    invocation: Invocation,
    context: { kind: string; name: string },
    work: () => Promise<void>,
  ): Promise<void> {
    const run = (async () => {
      if (!this.accepting) {
        await this.safeSend(invocation, noticeView(shuttingDown), context);
        return;
      }
      try {
        await work();
      } catch (error) {
        if (error instanceof UserError) {
          await this.safeSend(invocation, noticeView(error.message), context);
          return;
        }
        const unavailable =
          error instanceof DatabaseUnavailableError
            ? error
            : DatabaseUnavailableError.from(error, "database");
        if (unavailable?.reason === "locked") {
          this.logger.warn(
            { ...context, err: unavailable },
            "database locked; the member was asked to retry",
          );
          await this.safeSend(invocation, noticeView(databaseBusy), context);
          return;
        }
        if (unavailable) {
          // A full or read-only disk needs the operator; the member's transaction was rolled back.
          this.logger.error(
            { ...context, err: unavailable, userId: invocation.actor.id, guildId: invocation.guildId },
            "database cannot be written; the member was told nothing was saved",
          );
          await this.safeSend(invocation, noticeView(cannotSave), context);
          return;
        }
        this.logger.error(
          { err: error, ...context, userId: invocation.actor.id, guildId: invocation.guildId },
          "interaction handler failed",
        );
        await this.safeSend(invocation, noticeView(genericApology), context);
      }
    })();
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
    return run;
  }

  private async safeSend(
    invocation: Invocation,
    view: View,
    context: { kind: string; name: string },
  ): Promise<void> {
    try {
      await invocation.reply.send(view);
    } catch (error) {
      this.logger.warn({ err: error, ...context }, "could not deliver an error notice");
    }
  }
}
