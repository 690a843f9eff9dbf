/** The parts of a quiz question the balance checks read. */
export interface BalanceQuestion {
  choices: readonly { text: string; correct?: boolean }[];
}

/**
 * A quiz whose right answers give themselves away is a test of test-taking, not of understanding.
 * Flags a lesson whose right choice is the longest in more than half its questions, or sits at the
 * same position in more than half of them. Returns one message per problem (none when balanced).
 */
export function checkQuizBalance(questions: readonly BalanceQuestion[]): string[] {
  const messages: string[] = [];
  const total = questions.length;
  if (total === 0) return messages;
  const longest = questions.filter(rightIsLongest).length;
  if (longest * 2 > total) {
    messages.push(
      `the right choice is the longest in ${longest} of ${total} questions, so "pick the longest" passes; make the other choices as long and specific`,
    );
  }
  const positions = new Map<number, number>();
  for (const question of questions) {
    const index = question.choices.findIndex((choice) => choice.correct === true);
    positions.set(index, (positions.get(index) ?? 0) + 1);
  }
  const [position, count] = [...positions.entries()].sort((a, b) => b[1] - a[1])[0] ?? [0, 0];
  if (count * 2 > total && total >= 3) {
    messages.push(
      `the right choice is choice ${String.fromCharCode(65 + position)} in ${count} of ${total} questions; vary its position`,
    );
  }
  return messages;
}

/** True when the right choice is strictly longer than every other choice. */
export function rightIsLongest(question: BalanceQuestion): boolean {
  const right = question.choices.find((choice) => choice.correct === true);
  if (!right) return false;
  const length = right.text.trim().length;
  return question.choices.every((choice) => choice === right || choice.text.trim().length < length);
}
