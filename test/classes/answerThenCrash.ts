/**
 * Child process of the crash test: answers one class question for many members through the real
 * answer path, prints `confirmed <userId>` the moment a member would be told "Locked in", and
 * kills itself with SIGKILL right after the `killAfter`-th confirmation, with answers still queued.
 * Writes to a pipe are synchronous on Linux, so every printed line reaches the parent.
 */
import { openDatabase } from "../../src/db/openDatabase.ts";
import { createClassService, inChannel } from "./classFixture.ts";

const [databasePath = "", classId = "", members = "0", killAfter = "0"] = process.argv.slice(2);
const { service, clock } = createClassService(openDatabase(databasePath), { maxAnswerBatch: 25 });
let confirmed = 0;
for (let index = 0; index < Number(members); index++) {
  const userId = `member${index}`;
  void service
    .answer({ classId, round: 1, position: index % 2 }, inChannel(userId), clock.now())
    .then((outcome) => {
      if (outcome.kind !== "locked") return;
      process.stdout.write(`confirmed ${userId}\n`);
      confirmed += 1;
      if (confirmed === Number(killAfter)) process.kill(process.pid, "SIGKILL");
    });
}
