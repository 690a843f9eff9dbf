/**
 * Renders an example class summary card to `docs/class-summary.png`, the picture in the README's
 * "Running a class" section. Run after changing the card: `npx tsx scripts/renderClassSummaryExample.ts`.
 * The class is made up; its names show that any script and emoji are drawn.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type ClassSummaryCard, renderClassSummaryCard } from "../src/charts/classSummaryCard.ts";

const example: ClassSummaryCard = {
  lessonTitle: "Base models",
  hostName: "Ada 🦊",
  startedAt: new Date("2026-11-26T19:00:00Z"),
  endedAt: new Date("2026-11-26T19:42:00Z"),
  participants: 27,
  questions: 6,
  accuracy: 0.71,
  hardest: {
    prompt: "What is a model trained to do during pretraining?",
    accuracy: 0.37,
  },
  podium: [
    { name: "山田太郎", points: 5120 },
    { name: "bob 🐢", points: 4785 },
    { name: "Inès", points: 4410 },
  ],
};

const target = path.resolve(import.meta.dirname, "..", "docs", "class-summary.png");
mkdirSync(path.dirname(target), { recursive: true });
writeFileSync(target, await renderClassSummaryCard(example));
console.log(`Wrote ${path.relative(process.cwd(), target)}`);
