import type { ContentLibrary, Question } from "../../src/lessons/content.ts";
import type { DiscordDouble, DoubleUser, StoredMessage } from "../discord/DiscordDouble.ts";
import { answerKey, buttonLabelled } from "./answerKey.ts";

/** What a member saw while playing a quiz to its end. */
export interface PlayedQuiz {
  /** The questions asked, in order. */
  questions: Question[];
  /** Each question message as shown, as text, in order. */
  asked: string[];
  /** The graded answers, as text, in order. */
  answers: string[];
  /** The message after Finish: the summary. */
  summary: StoredMessage;
}

/**
 * Plays the quiz shown on `first` the way a member does: for each question clicks the right or
 * wrong answer as `picks` says, then Next, and Finish after the last. There must be one pick per
 * question.
 */
export async function playQuiz(
  double: DiscordDouble,
  content: ContentLibrary,
  user: DoubleUser,
  first: StoredMessage,
  picks: readonly ("right" | "wrong")[],
): Promise<PlayedQuiz> {
  const played: PlayedQuiz = { questions: [], asked: [], answers: [], summary: first };
  let message = first;
  for (const pick of picks) {
    const key = answerKey(message, content);
    played.questions.push(key.question);
    played.asked.push(message.text);
    const answered = await double.click(user, message, key[pick]).waitForReply();
    played.answers.push(answered.text);
    message = await double.click(user, answered, buttonLabelled(answered, /^(Next|Finish)$/)).waitForReply();
  }
  played.summary = message;
  return played;
}
