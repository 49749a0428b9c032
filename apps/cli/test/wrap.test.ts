import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli";

/** The words of `text` in order: whitespace and ` \` line continuations collapsed. */
const words = (text: string) => text.replace(/ \\\n/g, " ").replace(/\s+/g, " ").trim();

/** Lines of `text` longer than `width` columns. */
const tooLong = (text: string, width: number) =>
  text.split("\n").filter((line) => line.length > width);

const HELP = [
  ["--help"],
  ["fit", "--help"],
  ["evaluate", "--help"],
  ["predict", "--help"],
  ["inspect", "--help"],
];

describe("help and errors wrap at word boundaries at any width", () => {
  it.each([40, 80, 120])("help at COLUMNS=%i: no line is wider, no word is broken", (width) => {
    for (const args of HELP) {
      const run = runCli(args, { env: { COLUMNS: String(width) } });
      expect(run.status).toBe(0);
      expect(tooLong(run.stdout, width), args.join(" ")).toEqual([]);
      const unwrapped = runCli(args, { env: { COLUMNS: "1000" } }).stdout;
      expect(words(run.stdout)).toBe(words(unwrapped));
    }
  });

  it("help for a pipe (no COLUMNS) is laid out for 80 columns", () => {
    for (const args of HELP) expect(tooLong(runCli(args).stdout, 80)).toEqual([]);
  });

  it.each([
    [["fit", "--lr", "abc"], 2],
    [["fit", "--lrr"], 2],
    [["predict", "missing.safetensors", "35.7"], 1],
  ])("error of x %j at COLUMNS=40: wrapped at spaces; one line for a pipe", (args, status) => {
    const wrapped = runCli(args, { env: { COLUMNS: "40" } });
    const piped = runCli(args);
    expect(wrapped.status).toBe(status);
    expect(piped.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(tooLong(wrapped.stderr, 40)).toEqual([]);
    expect(wrapped.stderr.split("\n").length).toBeGreaterThan(2);
    expect(words(wrapped.stderr)).toBe(words(piped.stderr));
  });
});
