import type Database from "better-sqlite3";

/**
 * Makes the database really full for quiz answers: caps the connection at its current size
 * (`PRAGMA max_page_count`, per connection) and inserts the smallest possible answers, belonging
 * to a filler run, until SQLite answers SQLITE_FULL. A member's answer, which is larger, then
 * finds no room either, and SQLite fails it with SQLITE_FULL like a full disk would.
 */
export function fillQuizAnswers(sqlite: Database.Database): void {
  sqlite
    .prepare(
      "insert into quiz_runs (id, guild_id, user_id, question_ids, choice_orders, created_at) values ('f', 'g', 'u', '[]', '[]', 0)",
    )
    .run();
  const pages = sqlite.pragma("page_count", { simple: true }) as number;
  sqlite.pragma(`max_page_count = ${pages}`);
  const insert = sqlite.prepare(
    "insert into quiz_answers (run_id, guild_id, user_id, question_index, question_id, chosen_choice, correct, answered_at) values ('f', 'g', 'u', ?, 'q', 0, 0, 0)",
  );
  for (let index = 0; ; index++) {
    try {
      insert.run(index);
    } catch (error) {
      if ((error as { code?: unknown }).code === "SQLITE_FULL") return;
      throw error;
    }
  }
}
