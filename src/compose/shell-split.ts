// How compose turns a string `command:` / `entrypoint:` into argv (go-shellwords with no
// variable or command expansion): words split on blanks, single quotes literal, double quotes
// group, a backslash escapes the next character outside single quotes. Backquotes and `$(…)`
// are kept as text but group like quotes. An unquoted `;` `&` `|` `<` `>` ends the command:
// compose silently drops what follows, so we report where that happened.

/** A split command, and where compose stopped reading when an operator cut it short. */
export interface ShellSplit {
  readonly argv: string[];
  /** Set when an unquoted `;` `&` `|` `<` `>` ended the command: what was dropped from there on. */
  readonly dropped?: { readonly offset: number; readonly text: string };
}

function isBlank(c: string): boolean {
  return c === " " || c === "\t" || c === "\r" || c === "\n";
}

/** Splits a command string into argv the way compose does; the error names what is unbalanced. */
export function shellSplit(command: string): string[] | { error: string } {
  const r = shellSplitDetailed(command);
  return "error" in r ? r : r.argv;
}

/** Like `shellSplit`, and tells what an operator made compose drop (for a warning with a hint). */
export function shellSplitDetailed(command: string): ShellSplit | { error: string } {
  const argv: string[] = [];
  let word = "";
  let inWord = false;
  let escaped = false;
  let single = false;
  let double = false;
  let backquote = false;
  let dollarParen = false;
  let dropped: ShellSplit["dropped"];

  const chars = [...command];
  let offset = 0; // in UTF-16 units, for `dropped`
  for (const c of chars) {
    const here = offset;
    offset += c.length;
    if (escaped) {
      word += c;
      escaped = false;
      inWord = true;
      continue;
    }
    if (c === "\\") {
      if (single) word += c;
      else escaped = true;
      continue;
    }
    if (isBlank(c)) {
      if (single || double || backquote || dollarParen) word += c;
      else if (inWord) {
        argv.push(word);
        word = "";
        inWord = false;
      }
      continue;
    }
    const quoted = single || double;
    if (c === "`" && !quoted && !dollarParen) {
      backquote = !backquote;
    } else if (c === ")" && !quoted && !backquote) {
      dollarParen = !dollarParen;
    } else if (c === "(" && !quoted && !backquote) {
      if (dollarParen || !word.endsWith("$")) return { error: "`(` may only open `$(…)` outside quotes; quote it to pass it on" };
      dollarParen = true;
      word += c;
      continue;
    } else if (c === '"' && !single && !dollarParen) {
      double = !double;
      inWord = true; // "" is an empty argument
      continue;
    } else if (c === "'" && !double && !dollarParen) {
      single = !single;
      inWord = true;
      continue;
    } else if (";&|<>".includes(c) && !(quoted || backquote || dollarParen)) {
      // A redirection like `2>` takes its descriptor number with it.
      if (c === ">" && /^[0-9]/.test(word)) {
        word = "";
        inWord = false;
      }
      dropped = { offset: here, text: command.slice(here) };
      break;
    }
    inWord = true;
    word += c;
  }
  if (escaped) return { error: "the command ends with a backslash that escapes nothing" };
  if (single) return { error: "unterminated single quote in the command" };
  if (double) return { error: "unterminated double quote in the command" };
  if (backquote) return { error: "unterminated backquote in the command" };
  if (dollarParen) return { error: "unbalanced `$(` or `)` in the command" };
  if (inWord) argv.push(word);
  return dropped ? { argv, dropped } : { argv };
}
