import type { ButtonRoute, SlashCommand } from "../../commands/command.ts";
import { DatabaseUnavailableError } from "../db/DatabaseUnavailableError.ts";
import { UserError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { Services } from "../services.ts";
import { discordLimits } from "../ui/discordLimits.ts";
import type {
  AnswerPolicy,
  AutocompleteChoice,
  CommandOptions,
  IncomingButton,
  IncomingCommand,
  Invocation,
  Responder,
} from "../ui/interaction.ts";
import type { View } from "../ui/view.ts";
import { readOptions } from "./readOptions.ts";

const genericApology =
  "Sorry, something went wrong on my side while handling that. Please try again in a moment; if it keeps happening, tell a server admin.";
const cannotSave =
  "I couldn't save that: the progress database can't take new writes right now (its disk is full or read-only). What you just did was not saved; everything saved before is intact. Please try again later.";
const databaseBusy =
  "The progress database is busy right now, so nothing was saved for that. Please try again in a moment.";
const shuttingDown = "I'm restarting right now, so I can't take that. Please try again in a minute.";

/** A polite, ephemeral note, used for every expected failure. */
export function noticeView(message: string): View {
  return { embeds: [{ description: `⚠️ ${message}`, color: "warning" }], ephemeral: true };
}

export interface DispatcherOptions {
  commands: readonly SlashCommand[];
  services: Services;
  logger: Logger;
  /**
   * A `quick` handler that has not answered this long after the interaction arrived is
   * acknowledged on its behalf (Discord allows 3 s). Default 1500 ms.
   */
  autoAcknowledgeMs?: number;
}

/** Only the services a command declared, so a handler cannot reach beyond them. */
function narrow(services: Services, uses: readonly (keyof Services)[]): Services {
  const picked: Partial<Services> = {};
  for (const key of uses) Object.assign(picked, { [key]: services[key] });
  // The command's own type says it only reads `uses`; this object holds exactly those.
  return picked as Services;
}

/**
 * The interaction runtime, shared by Discord and the playground. It routes commands, buttons and
 * autocomplete to their handlers; checks options against the command's definition; acknowledges
 * as each command or button declares (handlers never acknowledge); and is the one place that
 * turns failures into replies: a {@link UserError} is told to the member as it is, anything else
 * is logged with context and answered with an apology, always ephemerally. One bad interaction
 * never takes the bot down. It also tracks running work so shutdown can wait for it.
 */
export class Dispatcher {
  private readonly commandsByName = new Map<string, SlashCommand>();
  private readonly buttonRoutes = new Map<string, { route: ButtonRoute; command: SlashCommand }>();
  private readonly running = new Set<Promise<void>>();
  private readonly services: Services;
  private readonly logger: Logger;
  private readonly autoAcknowledgeMs: number;
  private accepting = true;

  constructor(options: DispatcherOptions) {
    this.services = options.services;
    this.logger = options.logger;
    this.autoAcknowledgeMs = options.autoAcknowledgeMs ?? 1500;
    for (const command of options.commands) {
      this.commandsByName.set(command.data.name, command);
      for (const [prefix, route] of Object.entries(command.buttons ?? {})) {
        if (this.buttonRoutes.has(prefix))
          throw new Error(`Two commands claim the button prefix "${prefix}"`);
        this.buttonRoutes.set(prefix, { route, command });
      }
    }
  }

  get commands(): SlashCommand[] {
    return [...this.commandsByName.values()];
  }

  findCommand(name: string): SlashCommand | undefined {
    return this.commandsByName.get(name);
  }

  runCommand(incoming: IncomingCommand): Promise<void> {
    const command = this.commandsByName.get(incoming.commandName);
    const context = { kind: "command", name: incoming.commandName };
    let options: CommandOptions | undefined;
    // Checked before anything is acknowledged, so a bad option is answered privately at once.
    const check = () => {
      if (!command)
        throw new UserError(`I don't know the command /${incoming.commandName}. It may have been removed.`);
      options = readOptions(command.data, incoming.options, incoming.members ?? {}, incoming.subcommand);
    };
    const policy =
      typeof command?.answer === "function"
        ? command.answer(incoming.subcommand)
        : (command?.answer ?? fallbackPolicy);
    return this.track(incoming, context, policy, check, async (invocation) => {
      if (!command || !options) return;
      await command.execute(narrow(this.services, command.uses), {
        ...invocation,
        commandName: incoming.commandName,
        options,
      });
    });
  }

  runButton(incoming: IncomingButton): Promise<void> {
    const prefix = incoming.customId.split(":", 1)[0] ?? "";
    const entry = this.buttonRoutes.get(prefix);
    const policy = entry
      ? typeof entry.route.answer === "function"
        ? entry.route.answer(incoming.customId)
        : entry.route.answer
      : staleButtonPolicy;
    const check = () => {
      if (!entry)
        throw new UserError("This button belongs to a feature that no longer exists. Run the command again.");
    };
    return this.track(incoming, { kind: "button", name: prefix }, policy, check, async (invocation) => {
      if (!entry) return;
      const uses = entry.route.uses ?? entry.command.uses;
      await entry.route.press(narrow(this.services, uses), {
        ...invocation,
        customId: incoming.customId,
        values: incoming.values,
        messageId: incoming.messageId,
      });
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
      const choices = await command.autocomplete(narrow(this.services, command.uses), focused, invocation);
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

  /** Interactions being handled now. */
  get busy(): number {
    return this.running.size;
  }

  private track(
    incoming: Omit<Invocation, "reply"> & { responder: Responder },
    context: { kind: string; name: string },
    policy: AnswerPolicy,
    check: () => void,
    work: (invocation: Invocation) => Promise<void>,
  ): Promise<void> {
    const { responder } = incoming;
    const invocation: Invocation = {
      actor: incoming.actor,
      guildId: incoming.guildId,
      channelId: incoming.channelId,
      receivedAt: incoming.receivedAt,
      canManageServer: incoming.canManageServer,
      reply: {
        send: (view) => responder.send(view),
        update: (view) => responder.update(view),
        post: (view) => responder.post(view),
      },
    };
    const run = (async () => {
      if (!this.accepting) {
        await this.safeFail(responder, noticeView(shuttingDown), context);
        return;
      }
      let timer: NodeJS.Timeout | undefined;
      try {
        check();
        if (policy.speed === "slow") {
          await responder.acknowledge(policy);
        } else {
          const elapsed = Date.now() - incoming.receivedAt.getTime();
          timer = setTimeout(
            () => void this.acknowledgeLate(responder, policy, context),
            Math.max(0, this.autoAcknowledgeMs - Math.max(0, elapsed)),
          );
        }
        await work(invocation);
        // A handler may finish without answering (a Stop click: the stream shows the result).
        if (!responder.acknowledged && context.kind === "button") {
          await responder.acknowledge({ visibility: "update", speed: "quick" });
        }
      } catch (error) {
        await this.safeFail(responder, noticeView(this.describeFailure(error, incoming, context)), context);
      } finally {
        clearTimeout(timer);
      }
    })();
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
    return run;
  }

  /** What the member is told about a failure; unexpected ones are logged with context. */
  private describeFailure(
    error: unknown,
    incoming: Omit<Invocation, "reply">,
    context: { kind: string; name: string },
  ): string {
    if (error instanceof UserError) return error.message;
    const unavailable =
      error instanceof DatabaseUnavailableError ? error : DatabaseUnavailableError.from(error, "database");
    if (unavailable?.reason === "locked") {
      this.logger.warn({ ...context, err: unavailable }, "database locked; the member was asked to retry");
      return databaseBusy;
    }
    if (unavailable) {
      // A full or read-only disk needs the operator; the member's transaction was rolled back.
      this.logger.error(
        { ...context, err: unavailable, userId: incoming.actor.id, guildId: incoming.guildId },
        "database cannot be written; the member was told nothing was saved",
      );
      return cannotSave;
    }
    this.logger.error(
      { err: error, ...context, userId: incoming.actor.id, guildId: incoming.guildId },
      "interaction handler failed",
    );
    return genericApology;
  }

  private async acknowledgeLate(
    responder: Responder,
    policy: AnswerPolicy,
    context: { kind: string; name: string },
  ): Promise<void> {
    if (responder.acknowledged) return;
    try {
      await responder.acknowledge(policy);
    } catch (error) {
      this.logger.warn({ err: error, ...context }, "automatic acknowledgement failed");
    }
  }

  private async safeFail(
    responder: Responder,
    view: View,
    context: { kind: string; name: string },
  ): Promise<void> {
    try {
      await responder.fail(view);
    } catch (error) {
      this.logger.warn({ err: error, ...context }, "could not deliver an error notice");
    }
  }
}

/** For a command the bot no longer knows: the refusal is quick and private. */
const fallbackPolicy: AnswerPolicy = { visibility: "ephemeral", speed: "quick" };

/** For a button no command claims: the refusal is quick and private. */
const staleButtonPolicy: AnswerPolicy = { visibility: "update", speed: "quick" };
