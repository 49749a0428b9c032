import { Help, type HelpConfiguration } from "commander";
import { longest, terminalWidth, wrap } from "./format";

/** The width help is laid out for: the terminal's, `COLUMNS` for pipes, else 80 (commander's). */
export function helpWidth(stream: NodeJS.WriteStream): number {
  return terminalWidth(stream) ?? 80;
}

/**
 * `text` word-wrapped to `width` columns, its first line indented by `first` spaces, the others
 * by `rest` (default: as the first).
 */
function indented(text: string, first: number, width: number, rest = first): string {
  const lines = wrap(text, width - Math.max(first, rest)).split("\n");
  return lines.map((line, i) => " ".repeat(i === 0 ? first : rest) + line).join("\n");
}

/** Below this many columns beside the terms, descriptions go on lines of their own. */
const MIN_DESCRIPTION_WIDTH = 30;
/** Indent of a description under its term in the narrow layout. */
const NARROW_INDENT = 6;

/**
 * Commander's help layout, wrapped at word boundaries at any width: descriptions beside the terms
 * when there is room (commander's own layout), else under them.
 */
export const helpConfiguration: HelpConfiguration = {
  minWidthToWrap: 1,
  formatHelp(command, helper) {
    // Commander leaves the usage line unwrapped: wrap it under its words.
    const [usage = "", ...rest] = Help.prototype.formatHelp
      .call(helper, command, helper)
      .split("\n");
    return [indented(usage, 0, helper.helpWidth ?? 80, "Usage: ".length), ...rest].join("\n");
  },
  formatItem(term, termWidth, description, helper) {
    const width = helper.helpWidth ?? 80;
    if (description === "" || width - termWidth - 4 >= MIN_DESCRIPTION_WIDTH)
      return Help.prototype.formatItem.call(helper, term, termWidth, description, helper);
    return `${indented(term, 2, width, 4)}\n${indented(description, NARROW_INDENT, width)}`;
  },
};

/** One `$ x …` example with what it does. */
export type Example = readonly [command: string, note?: string];

/**
 * A shell command wrapped at spaces to `width` columns, continued with ` \` (so it still runs when
 * pasted), the lines after the first indented by 4.
 */
function wrapCommand(command: string, width: number): string[] {
  const words = command.split(" ");
  const lines: string[] = [];
  let line = words.shift() as string;
  for (const word of words) {
    if (line.length + 1 + word.length + 2 > width && line.trim() !== "") {
      lines.push(`${line} \\`);
      line = `    ${word}`;
    } else line = `${line} ${word}`;
  }
  lines.push(line);
  return lines;
}

/**
 * An `Examples:` section laid out for `width` columns: notes aligned beside the commands when they
 * fit, else under them.
 */
export function examplesText(examples: readonly Example[], width: number): string {
  const column = longest(examples.flatMap(([command, note]) => (note ? [command] : []))) + 7;
  const lines = examples.flatMap(([command, note]) => {
    const shown = `  $ ${command}`;
    if (note === undefined) return wrapCommand(shown, width);
    if (column + note.length <= width) return [`${shown.padEnd(column)}${note}`];
    return [...wrapCommand(shown, width), indented(note, NARROW_INDENT, width)];
  });
  return `Examples:\n${lines.join("\n")}`;
}

/** Paragraphs (separated by blank lines) word-wrapped to `width` columns. */
export function paragraphsText(text: string, width: number): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) => wrap(paragraph, width))
    .join("\n\n");
}
