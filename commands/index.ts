import { command as classCommand } from "./class.ts";
import type { SlashCommand } from "./command.ts";
import { command as compare } from "./compare.ts";
import { command as leaderboard } from "./leaderboard.ts";
import { command as lesson } from "./lesson.ts";
import { command as nexttoken } from "./nexttoken.ts";
import { command as progress } from "./progress.ts";
import { command as quiz } from "./quiz.ts";
import { command as review } from "./review.ts";
import { command as status } from "./status.ts";
import { command as template } from "./template.ts";
import { command as tokenize } from "./tokenize.ts";

/** Every slash command, in the order they are registered; the router and the deploy script read it. */
export const commands: SlashCommand[] = [
  lesson,
  quiz,
  review,
  progress,
  leaderboard,
  compare,
  template,
  nexttoken,
  tokenize,
  classCommand,
  status,
];
