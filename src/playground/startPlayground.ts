import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { UserError } from "../errors.ts";
import { type Dispatcher, noticeView } from "../interactions/Dispatcher.ts";
import type { ModelDownloadOffer } from "../pairs/createPairDownloadOffer.ts";
import { DownloadError, LOCAL_FILE_ADVICE } from "../pairs/DownloadFailure.ts";
import { formatProgressLine } from "../pairs/formatDownloadProgress.ts";
import type { Actor, Invocation, MessageAddress, MessageEditor, Responder } from "../ui/interaction.ts";
import type { View } from "../ui/view.ts";
import { ButtonNumbers } from "./ButtonNumbers.ts";
import { completeCommandLine } from "./completeCommandLine.ts";
import { readPressedChoice } from "./menuOptionButtons.ts";
import { parseCommandLine } from "./parseCommandLine.ts";
import { type NumberedButton, renderForTerminal } from "./renderForTerminal.ts";
import { TerminalScreen } from "./TerminalScreen.ts";
import { terminalStyle } from "./terminalStyle.ts";

/** The single member of the playground "server". */
export const playgroundActor: Actor = { id: "playground-you", displayName: "you" };
export const playgroundGuildId = "playground";
const prompt = "lm-tutor> ";

export interface PlaygroundOptions {
  dispatcher: Dispatcher;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Where attached files (PNG charts) are written. */
  filesDir: string;
  /** Bold, italic and dim text on a terminal. Default true. */
  color?: boolean;
  /** The clock for relative times ("in 42 s") and interaction times. Default: the real time. */
  now?: () => Date;
  /**
   * Offers to download the default pair's missing files on the first command that needs them.
   * Default: none (the command reports the missing model).
   */
  downloadOffer?: ModelDownloadOffer;
}

export interface Playground {
  /**
   * Resolves when the playground ends: at once on Ctrl-C (the caller's shutdown then stops any
   * run), or when input ends, `quit` is typed or `close` is called, once running work is done.
   */
  finished: Promise<void>;
  /** Reprints an earlier message (a vote revealed by its timer, for example). */
  /** Reprints an earlier message (a streamed reply, a vote revealed by its timer). */
  editor: MessageEditor;
  close(): void;
}

/** What the member sees of one message: its buttons as they are now. */
interface ShownMessage {
  buttons: NumberedButton[];
}

/**
 * The terminal playground: the bot's slash commands typed at a prompt, buttons shown as numbered
 * choices, sharing the same dispatcher, database and content as the Discord bot. Input is read
 * while commands run, so a button (Stop) can be pressed while a reply streams.
 */
export function startPlayground(options: PlaygroundOptions): Playground {
  const { dispatcher, output } = options;
  const now = options.now ?? (() => new Date());
  const style = terminalStyle(output, options.color ?? true);
  const terminal = "isTTY" in options.input && options.input.isTTY === true;
  const rl = createInterface({
    input: options.input,
    output,
    terminal,
    completer: (line: string, callback: (error: Error | null, result: [string[], string]) => void) => {
      completeCommandLine(
        line,
        dispatcher.commands.map((command) => command.data),
        (commandName, focused) => dispatcher.autocomplete(commandName, focused, invocationBase()),
      ).then(
        (result) => callback(null, result),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), [[], line]),
      );
    },
  });
  const screen = new TerminalScreen({ readline: rl, output, terminal, prompt });
  const numbers = new ButtonNumbers();
  const shown = new Map<string, ShownMessage>();
  /** The message whose buttons typed numbers press: the last one printed with buttons to press. */
  let activeMessageId: string | undefined;
  let messageCounter = 0;
  /** Set while the playground waits for the answer to a question: the next line goes there. */
  let answerWaiter: ((answer: string) => void) | undefined;
  /** Stops a download in progress (Ctrl-C). */
  const downloads = new AbortController();
  let offerMade = false;

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

  const print = async (view: View, messageId: string, updated = false): Promise<void> => {
    const rendered = renderForTerminal(view, {
      style,
      now: now(),
      numberButtons: (rows) => numbers.assign(messageId, rows),
    });
    const lines: string[] = ["", ...(updated ? [style.dim("(updated)")] : []), rendered.text];
    for (const file of await saveFiles(view)) lines.push(style.dim(`(file written to ${file})`));
    shown.set(messageId, { buttons: rendered.buttons });
    if (rendered.buttons.some(({ button }) => !button.disabled)) {
      activeMessageId = messageId;
      lines.push(style.dim("Type a number to press a button."));
    }
    screen.print(lines.join("\n"), updated ? messageId : undefined);
  };

  const notice = (message: string) => print(noticeView(message), `m${++messageCounter}`);

  /** A Responder that prints; `update` reprints the message the button (or command) belongs to. */
  const responderFor = (targetId: string | undefined, onAnswer: () => void): Responder => {
    let original = targetId;
    const post = async (view: View): Promise<MessageAddress> => {
      const id = `m${++messageCounter}`;
      original ??= id;
      await print(view, id);
      onAnswer();
      return { channelId: "terminal", messageId: id };
    };
    return {
      // The terminal has no acknowledgement window: every interaction counts as acknowledged.
      acknowledged: true,
      async acknowledge() {},
      send: async (view) => void (await post(view)),
      post,
      async update(view) {
        original ??= `m${++messageCounter}`;
        await print(view, original, true);
        onAnswer();
      },
      fail: async (view) => void (await post(view)),
    };
  };

  const invocationBase = (): Omit<Invocation, "reply"> => ({
    actor: playgroundActor,
    guildId: playgroundGuildId,
    channelId: "terminal",
    receivedAt: now(),
  });

  const showHelp = () => {
    const lines = ["Commands:"];
    for (const command of dispatcher.commands) {
      const opts = (command.data.options ?? [])
        .map((o) => (o.required ? ` ${o.name}:…` : ` [${o.name}:…]`))
        .join("");
      lines.push(`  /${command.data.name}${opts}  ${style.dim(command.data.description)}`);
    }
    lines.push(
      style.dim(
        'Numbers press buttons, even while a reply streams; Tab completes; quote values with spaces or colons (prompt:"a: b"); help lists commands; quit, Ctrl-D or Ctrl-C leaves.',
      ),
    );
    screen.print(lines.join("\n"));
  };

  /** Presses the button numbered `number` on the active message as it is now. */
  const press = async (number: number, onAnswer: () => void): Promise<void> => {
    const messageId = activeMessageId;
    const entry = messageId ? shown.get(messageId)?.buttons.find((b) => b.number === number) : undefined;
    if (!messageId || !entry) return notice("There is no button with that number on screen.");
    if (entry.button.disabled) return notice(`${entry.button.label} can't be pressed right now.`);
    const offer = options.downloadOffer;
    const prefix = entry.button.id.split(":")[0] ?? "";
    if (offer && !offerMade && offer.buttonPrefixes.has(prefix)) await offerDownload(offer);
    await dispatcher.runButton({
      ...invocationBase(),
      ...readPressedChoice(entry.button.id),
      messageId,
      responder: responderFor(messageId, onAnswer),
    });
  };

  /** Asks `question` and resolves with the next line typed ("" when input ends). */
  const ask = (question: string): Promise<string> =>
    new Promise((resolve) => {
      answerWaiter = resolve;
      screen.print(question);
      screen.showPrompt();
    });

  /** The first time a model command runs: offer to download what is missing, then let the models load. */
  const offerDownload = async (offer: ModelDownloadOffer): Promise<void> => {
    offerMade = true;
    try {
      const pending = await offer.check();
      if (!pending) return;
      if (pending.kind === "unavailable") return void (await notice(pending.message));
      const answer = await ask(pending.question);
      if (!/^y(es)?$/i.test(answer)) {
        await notice(`Not downloading. \`npm run models:pull\` fetches them later. ${LOCAL_FILE_ADVICE}`);
        return;
      }
      let shownTenth = -1;
      await pending.download({
        signal: downloads.signal,
        onProgress: (progress) => {
          if (progress.totalBytes <= 0) return;
          const tenth = Math.floor((10 * progress.downloadedBytes) / progress.totalBytes);
          if (tenth === shownTenth) return;
          shownTenth = tenth;
          screen.print(
            style.dim(`${progress.side}: ${formatProgressLine(progress)}`),
            `download-${progress.side}`,
          );
        },
      });
      screen.print("Downloaded. Loading the models…");
    } catch (error) {
      if (downloads.signal.aborted) return;
      const reason =
        error instanceof DownloadError ? error.message : `The download failed: ${(error as Error).message}`;
      await notice(`${reason} ${LOCAL_FILE_ADVICE}`);
    } finally {
      offer.settled();
    }
  };

  /** Handles one typed line; `onAnswer` is called when it has shown something (or is done). */
  const handleLine = async (text: string, onAnswer: () => void): Promise<void> => {
    if (text === "help" || text === "/help") return showHelp();
    if (/^\d+$/.test(text)) return press(Number(text), onAnswer);
    try {
      const parsed = parseCommandLine(
        text,
        dispatcher.commands.map((command) => command.data),
      );
      const offer = options.downloadOffer;
      if (offer && !offerMade && offer.commands.has(parsed.commandName)) await offerDownload(offer);
      await dispatcher.runCommand({
        ...invocationBase(),
        ...parsed,
        responder: responderFor(undefined, onAnswer),
      });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      await notice(error.message);
    }
  };

  write(style.bold("LM Tutor — terminal playground"));
  write(
    "No DISCORD_TOKEN is set, so this is the local playground. To connect to Discord, set DISCORD_TOKEN (see README: Connecting to Discord).",
  );
  write(style.dim("Try /lesson, /lesson name:next-token-prediction or /quiz. Type help for all commands."));
  function write(text: string) {
    output.write(`${text}\n`);
  }

  const finished = new Promise<void>((resolve) => {
    /**
     * Lines run in the order typed, but a line only waits for the one before it until that one
     * has answered: a number typed while /compare streams presses Stop at once, while a script
     * piped in still sees each reply before its next line.
     */
    let previous: Promise<void> = Promise.resolve();
    const running = new Set<Promise<void>>();
    let ending = false;
    let interrupted = false;

    const settle = () => {
      if (interrupted) return;
      if (running.size > 0) return;
      if (ending) resolve();
      else screen.showPrompt();
    };

    rl.on("line", (line) => {
      screen.lineEntered();
      const text = line.trim();
      if (answerWaiter) {
        const answer = answerWaiter;
        answerWaiter = undefined;
        answer(text);
        return;
      }
      if (text === "quit" || text === "exit") {
        rl.close();
        return;
      }
      let answered!: () => void;
      const answer = new Promise<void>((resolveAnswer) => {
        answered = resolveAnswer;
      });
      const after = previous;
      const work = (async () => {
        await after;
        if (interrupted || text === "") return;
        try {
          await handleLine(text, answered);
        } catch (error) {
          // The dispatcher answers every handler failure itself; this is the playground's own.
          await notice(`The playground could not do that: ${error instanceof Error ? error.message : error}`);
        }
      })().finally(answered);
      previous = answer;
      running.add(work);
      void work.finally(() => {
        running.delete(work);
        settle();
      });
    });
    rl.on("SIGINT", () => {
      // Ctrl-C leaves now; the caller's shutdown stops the run that is streaming.
      interrupted = true;
      downloads.abort();
      answerWaiter?.("");
      answerWaiter = undefined;
      output.write("\n");
      rl.close();
      resolve();
    });
    rl.on("close", () => {
      answerWaiter?.("");
      answerWaiter = undefined;
      ending = true;
      settle();
    });
    screen.showPrompt();
  });

  const editor: MessageEditor = {
    edit: (address, view) => print(view, address.messageId, true),
  };

  return { finished, editor, close: () => rl.close() };
}
