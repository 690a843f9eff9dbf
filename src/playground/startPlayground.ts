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
import {
  checkMemberMayUse,
  memberNameFromId,
  playgroundActor,
  splitActingMember,
} from "./playgroundMember.ts";
import { type NumberedButton, renderForTerminal } from "./renderForTerminal.ts";
import { TerminalScreen } from "./TerminalScreen.ts";
import { terminalStyle } from "./terminalStyle.ts";

export { playgroundActor };
export const playgroundGuildId = "playground";
const prompt = "lm-tutor> ";
/** The playground's one channel, a text channel of the playground server. */
const playgroundChannelId = "terminal";
/** How many messages keep their buttons pressable; as many as ButtonNumbers keeps numbered. */
const maxShownMessages = 200;

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

/** What is on screen of one message: its buttons as they are now, and who can see it. */
interface ShownMessage {
  buttons: NumberedButton[];
  /** The only member who sees it (an ephemeral reply), or undefined for everyone. */
  privateTo: Actor | undefined;
  /** When it was first printed (a counter): an edit keeps the place the message was posted at. */
  postedOrder: number;
  /** When it was last printed, edits included (a counter): what is lowest on screen. */
  printedOrder: number;
  /** It has a button that can be pressed now. */
  pressable: boolean;
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
        [...members.values()].map((member) => member.displayName),
      ).then(
        (result) => callback(null, result),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), [[], line]),
      );
    },
  });
  const screen = new TerminalScreen({ readline: rl, output, terminal, prompt });
  const numbers = new ButtonNumbers();
  const shown = new Map<string, ShownMessage>();
  let postOrder = 0;
  let printOrder = 0;
  let messageCounter = 0;
  /** Members met this session (`as:` or a member option), by id, so a name keeps its first spelling. */
  const members = new Map<string, Actor>([[playgroundActor.id, playgroundActor]]);
  const remember = (member: Actor): Actor => {
    const known = members.get(member.id);
    if (known) return known;
    members.set(member.id, member);
    return member;
  };
  const nameOf = (id: string) => members.get(id)?.displayName ?? memberNameFromId(id);
  const isHost = (member: Actor) => member.id === playgroundActor.id;
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

  /**
   * Prints a message. `privateTo` is who alone sees it; an update keeps the audience the message
   * was first shown to, as an ephemeral reply stays ephemeral on Discord when edited.
   */
  const print = async (view: View, messageId: string, updated = false, privateTo?: Actor): Promise<void> => {
    const before = shown.get(messageId);
    const audience = before ? before.privateTo : privateTo;
    const rendered = renderForTerminal(view, {
      style,
      now: now(),
      numberButtons: (rows) => numbers.assign(messageId, rows),
      ...(audience ? { privateTo: isHost(audience) ? "you" : audience.displayName } : {}),
      memberName: nameOf,
    });
    const lines: string[] = ["", ...(updated ? [style.dim("(updated)")] : []), rendered.text];
    for (const file of await saveFiles(view)) lines.push(style.dim(`(file written to ${file})`));
    const pressable = rendered.buttons.some(({ button }) => !button.disabled);
    shown.delete(messageId);
    shown.set(messageId, {
      buttons: rendered.buttons,
      privateTo: audience,
      postedOrder: before?.postedOrder ?? ++postOrder,
      printedOrder: ++printOrder,
      pressable,
    });
    for (const oldest of shown.keys()) {
      if (shown.size <= maxShownMessages) break;
      shown.delete(oldest);
    }
    if (pressable) {
      lines.push(
        style.dim(
          audience && !isHost(audience)
            ? `Type as:${audience.displayName} and a number to press a button as ${audience.displayName}.`
            : "Type a number to press a button.",
        ),
      );
    }
    screen.print(lines.join("\n"), updated ? messageId : undefined);
  };

  /** A playground note to `member`: only they see it. */
  const notice = (message: string, member: Actor = playgroundActor) =>
    print(noticeView(message), `m${++messageCounter}`, false, member);

  /**
   * The message whose buttons `member` presses by number: of the messages they can see that have
   * buttons to press, the one posted last. Posting order decides, not printing order: an edit
   * reprints an older message (a class stage showing its open question) without making it newer
   * than the question posted after it. A message whose buttons all went away (a quiz's summary)
   * hands over to the one posted before it.
   */
  const activeFor = (member: Actor): string | undefined =>
    newestPressable(
      "postedOrder",
      (message) => message.privateTo === undefined || message.privateTo.id === member.id,
    )?.[0];

  /** Of the messages with buttons to press (and `visible`), the newest by `order`. */
  const newestPressable = (
    order: "postedOrder" | "printedOrder",
    visible: (message: ShownMessage) => boolean = () => true,
  ): [string, ShownMessage] | undefined => {
    let newest: [string, ShownMessage] | undefined;
    for (const entry of shown) {
      if (!entry[1].pressable || !visible(entry[1])) continue;
      if (newest === undefined || entry[1][order] > newest[1][order]) newest = entry;
    }
    return newest;
  };

  /**
   * A Responder that prints for `member`: an ephemeral reply is shown as seen only by them;
   * `update` reprints the message the button (or command) belongs to.
   */
  const responderFor = (targetId: string | undefined, member: Actor, onAnswer: () => void): Responder => {
    let original = targetId;
    const post = async (view: View): Promise<MessageAddress> => {
      const id = `m${++messageCounter}`;
      original ??= id;
      await print(view, id, false, view.ephemeral ? member : undefined);
      onAnswer();
      return { channelId: playgroundChannelId, messageId: id };
    };
    return {
      // The terminal has no acknowledgement window: every interaction counts as acknowledged.
      acknowledged: true,
      async acknowledge() {},
      send: async (view) => void (await post(view)),
      post,
      async update(view) {
        original ??= `m${++messageCounter}`;
        await print(view, original, true, view.ephemeral ? member : undefined);
        onAnswer();
      },
      fail: async (view) => void (await post(view)),
    };
  };

  const invocationBase = (actor: Actor = playgroundActor): Omit<Invocation, "reply"> => ({
    actor,
    guildId: playgroundGuildId,
    channelId: playgroundChannelId,
    receivedAt: now(),
    // The host owns the playground server (Manage Server and all); members typed with as: are plain members.
    canManageServer: isHost(actor),
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
      style.dim(
        "as:<name> before a command or a number acts as another member of this server: as:bob 2 presses button 2 as bob, as:carol /quiz starts carol's quiz. Replies only they would see are marked (only bob sees this).",
      ),
    );
    screen.print(lines.join("\n"));
  };

  /** Presses, as `member`, the button numbered `number` on the message they see last. */
  const press = async (number: number, member: Actor, onAnswer: () => void): Promise<void> => {
    const messageId = activeFor(member);
    const entry = messageId ? shown.get(messageId)?.buttons.find((b) => b.number === number) : undefined;
    if (!messageId || !entry) return notice(noButton(member), member);
    if (entry.button.disabled) return notice(`${entry.button.label} can't be pressed right now.`, member);
    const offer = options.downloadOffer;
    const prefix = entry.button.id.split(":")[0] ?? "";
    if (offer && !offerMade && offer.buttonPrefixes.has(prefix)) await offerDownload(offer);
    await dispatcher.runButton({
      ...invocationBase(member),
      ...readPressedChoice(entry.button.id),
      messageId,
      responder: responderFor(messageId, member, onAnswer),
    });
  };

  /**
   * Why `member` has no such button; names the owner when the buttons printed last (lowest on
   * screen) are someone else's private ones.
   */
  const noButton = (member: Actor): string => {
    const owner = newestPressable("printedOrder")?.[1].privateTo;
    if (!owner || owner.id === member.id) return "There is no button with that number on screen.";
    const how = isHost(owner) ? "type the number alone" : `type as:${owner.displayName} and the number`;
    return `There is no button with that number on screen for ${isHost(member) ? "you" : member.displayName}. The newest buttons are ${isHost(owner) ? "yours" : `${owner.displayName}'s`}, seen only by them: ${how}.`;
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
    let member = playgroundActor;
    try {
      const acting = splitActingMember(text);
      if (acting.member) member = remember(acting.member);
      const rest = acting.rest;
      if (rest === "help" || rest === "/help") return showHelp();
      if (/^\d+$/.test(rest)) return await press(Number(rest), member, onAnswer);
      const parsed = parseCommandLine(
        rest,
        dispatcher.commands.map((command) => command.data),
      );
      const definition = dispatcher.findCommand(parsed.commandName)?.data;
      if (definition) checkMemberMayUse(definition, member);
      const offer = options.downloadOffer;
      if (offer && !offerMade && offer.commands.has(parsed.commandName)) await offerDownload(offer);
      await dispatcher.runCommand({
        ...invocationBase(member),
        ...parsed,
        members: Object.fromEntries(
          Object.values(parsed.members).map((named) => [named.id, remember(named)]),
        ),
        responder: responderFor(undefined, member, onAnswer),
      });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      await notice(error.message, member);
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
