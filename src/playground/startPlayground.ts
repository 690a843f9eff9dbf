import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import {
  ApplicationCommandOptionType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { UserError } from "../errors.ts";
import { type Dispatcher, noticeView } from "../interactions/Dispatcher.ts";
import type {
  Actor,
  CommandOptions,
  Invocation,
  MessageAddress,
  MessageEditor,
  RawOptions,
  Responder,
} from "../ui/interaction.ts";
import type { View, ViewButton } from "../ui/view.ts";
import { parseCommandLine } from "./parseCommandLine.ts";
import { renderForTerminal, terminalStyle } from "./renderForTerminal.ts";

/** The single member of the playground "server". */
export const playgroundActor: Actor = { id: "playground-you", displayName: "you" };
export const playgroundGuildId = "playground";

export interface PlaygroundOptions {
  dispatcher: Dispatcher;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Where attached files (PNG charts) are written. */
  filesDir: string;
  /** Bold and dim text on a terminal. Default true. */
  color?: boolean;
}

export interface Playground {
  /** Resolves when input ends (or `close` is called) and the last line has been handled. */
  finished: Promise<void>;
  /** Reprints an earlier message (a streamed reply, a vote revealed by its timer). */
  editor: MessageEditor;
  close(): void;
}

interface PrintedMessage {
  id: string;
  buttons: ViewButton[];
}

/**
 * The terminal playground: the bot's slash commands typed at a prompt, buttons shown as numbered
 * choices, sharing the same dispatcher, database and content as the Discord bot.
 */
export function startPlayground(options: PlaygroundOptions): Playground {
  const { dispatcher, output } = options;
  const style = terminalStyle(output, options.color ?? true);
  const write = (text: string) => output.write(`${text}\n`);
  let messageCounter = 0;
  /** Numbered buttons currently on screen: the most recent message that has any. */
  let activeButtons: { number: number; button: ViewButton; messageId: string }[] = [];

  const saveFiles = async (view: View): Promise<string[]> => {
    const saved: string[] = [];
    if (!view.files?.length) return saved;
    await mkdir(options.filesDir, { recursive: true });
    for (const file of view.files) {
      // One file per name, overwritten each time, so the folder does not grow without bound.
      const target = path.resolve(options.filesDir, path.basename(file.name));
      await writeFile(target, file.data);
      saved.push(target);
    }
    return saved;
  };

  const isTerminal = "isTTY" in output && output.isTTY === true;
  /** The last message printed and how many screen rows it took, so a streamed edit can redraw it in place. */
  let lastPrinted: { id: string; rows: number } | undefined;
  const screenRows = (text: string): number => {
    const columns = "columns" in output && typeof output.columns === "number" ? output.columns : 80;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI styling to measure width
    const plainText = text.replace(/\x1b\[[0-9;]*m/g, "");
    return plainText
      .split("\n")
      .reduce((rows, line) => rows + Math.max(1, Math.ceil(line.length / columns)), 0);
  };

  const print = async (view: View, message: PrintedMessage, note?: string): Promise<void> => {
    const rendered = renderForTerminal(view, style, 1);
    const lines: string[] = ["", ...(note ? [style.dim(note)] : []), rendered.text];
    for (const file of await saveFiles(view)) lines.push(style.dim(`(file written to ${file})`));
    message.buttons = rendered.buttons;
    if (rendered.buttons.length > 0) {
      activeButtons = rendered.buttons.map((button, index) => ({
        number: index + 1,
        button,
        messageId: message.id,
      }));
      lines.push(style.dim("Type a number to press a button."));
    } else if (activeButtons.some((entry) => entry.messageId === message.id)) {
      activeButtons = [];
    }
    const text = lines.join("\n");
    // On a terminal, an edit of the message just printed (a streaming reply) redraws it in place.
    if (isTerminal && note === "(updated)" && lastPrinted?.id === message.id) {
      output.write(`\x1b[${lastPrinted.rows}F\x1b[0J`);
    }
    write(text);
    lastPrinted = { id: message.id, rows: screenRows(text) };
  };

  const newMessage = (): PrintedMessage => ({ id: `m${++messageCounter}`, buttons: [] });

  /** A Responder that prints; `update` reprints the message the button (or command) belongs to. */
  const responderFor = (target: PrintedMessage | undefined): Responder => {
    let original = target;
    const address = (message: PrintedMessage): MessageAddress => ({
      channelId: "terminal",
      messageId: message.id,
    });
    const sendNew = async (view: View): Promise<MessageAddress> => {
      const message = newMessage();
      original ??= message;
      await print(view, message);
      return address(message);
    };
    return {
      // The terminal has no acknowledgement window: every interaction counts as acknowledged.
      acknowledged: true,
      async acknowledge() {},
      send: async (view) => void (await sendNew(view)),
      post: sendNew,
      async update(view) {
        original ??= newMessage();
        await print(view, original, "(updated)");
      },
      fail: async (view) => void (await sendNew(view)),
    };
  };

  const base = (): Omit<Invocation, "reply"> => ({
    actor: playgroundActor,
    guildId: playgroundGuildId,
    channelId: "terminal",
    receivedAt: new Date(),
  });

  const showHelp = () => {
    write("Commands:");
    for (const command of dispatcher.commands) {
      const opts = (command.data.options ?? [])
        .map((o) => (o.required ? ` ${o.name}:…` : ` [${o.name}:…]`))
        .join("");
      write(`  /${command.data.name}${opts}  ${style.dim(command.data.description)}`);
    }
    write(style.dim("Numbers press buttons; help lists commands; quit (or Ctrl-D) leaves."));
  };

  const handleLine = async (line: string): Promise<boolean> => {
    const text = line.trim();
    if (text === "") return true;
    if (text === "quit" || text === "exit") return false;
    if (text === "help" || text === "/help") {
      showHelp();
      return true;
    }
    if (/^\d+$/.test(text)) {
      const entry = activeButtons.find((candidate) => candidate.number === Number(text));
      if (!entry) {
        await print(noticeView("There is no button with that number on screen."), newMessage());
        return true;
      }
      await dispatcher.runButton({
        ...base(),
        customId: entry.button.id,
        messageId: entry.messageId,
        responder: responderFor({ id: entry.messageId, buttons: [] }),
      });
      return true;
    }
    try {
      const parsed = parseCommandLine(
        text,
        dispatcher.commands.map((command) => command.data),
      );
      const definition = dispatcher.findCommand(parsed.commandName)?.data;
      await dispatcher.runCommand({
        ...base(),
        commandName: parsed.commandName,
        ...(definition ? rawOptionsOf(definition, parsed.options) : { options: {} }),
        responder: responderFor(undefined),
      });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      await print(noticeView(error.message), newMessage());
    }
    return true;
  };

  const rl = createInterface({
    input: options.input,
    output,
    terminal: "isTTY" in options.input && options.input.isTTY === true,
    completer: (line: string) => {
      const names = dispatcher.commands.map((command) => `/${command.data.name}`);
      const hits = names.filter((name) => name.startsWith(line));
      return [hits.length > 0 ? hits : names, line];
    },
  });
  rl.setPrompt("lm-tutor> ");

  write(style.bold("LM Tutor — terminal playground"));
  write(
    "No DISCORD_TOKEN is set, so this is the local playground. To connect to Discord, set DISCORD_TOKEN (see README: Connecting to Discord).",
  );
  write(style.dim("Try /lesson, /lesson name:next-token-prediction or /quiz. Type help for all commands."));

  const finished = new Promise<void>((resolve) => {
    const lines: string[] = [];
    let working = false;
    let ended = false;
    const pump = async () => {
      if (working) return;
      working = true;
      while (lines.length > 0) {
        const line = lines.shift() ?? "";
        if (!(await handleLine(line))) {
          ended = true;
          lines.length = 0;
          rl.close();
        }
      }
      working = false;
      if (ended) {
        resolve();
      } else {
        rl.prompt();
        lastPrinted = undefined;
      }
    };
    rl.on("line", (line) => {
      lastPrinted = undefined;
      lines.push(line);
      void pump();
    });
    rl.on("close", () => {
      ended = true;
      if (!working) resolve();
    });
    rl.prompt();
  });

  const editor: MessageEditor = {
    edit: (address, view) => print(view, { id: address.messageId, buttons: [] }, "(updated)"),
  };

  return { finished, editor, close: () => rl.close() };
}

/** The option values the line parser read, as raw values the runtime checks like a Discord payload. */
function rawOptionsOf(
  definition: RESTPostAPIChatInputApplicationCommandsJSONBody,
  options: CommandOptions,
): { options: RawOptions; members: Record<string, Actor> } {
  const raw: Record<string, unknown> = {};
  const members: Record<string, Actor> = {};
  for (const option of definition.options ?? []) {
    const read = {
      [ApplicationCommandOptionType.String]: () => options.getString(option.name),
      [ApplicationCommandOptionType.Integer]: () => options.getInteger(option.name),
      [ApplicationCommandOptionType.Number]: () => options.getNumber(option.name),
      [ApplicationCommandOptionType.Boolean]: () => options.getBoolean(option.name),
      [ApplicationCommandOptionType.User]: () => {
        const user = options.getUser(option.name);
        if (user) members[user.id] = user;
        return user?.id ?? null;
      },
    }[option.type as number];
    const value = read?.();
    if (value !== null && value !== undefined) raw[option.name] = value;
  }
  return { options: raw, members };
}
