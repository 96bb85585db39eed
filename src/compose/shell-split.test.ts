import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { shellSplit, shellSplitDetailed } from "./shell-split.js";

describe("shellSplit", () => {
  const cases: [string, string[]][] = [
    ["", []],
    ["   ", []],
    ["echo hello", ["echo", "hello"]],
    ["  echo   hello  ", ["echo", "hello"]],
    ["a\tb\nc\r\nd", ["a", "b", "c", "d"]],
    ['echo "hello world"', ["echo", "hello world"]],
    ["echo 'hello world'", ["echo", "hello world"]],
    ['echo ""', ["echo", ""]],
    ["echo ''", ["echo", ""]],
    ['a"b c"d', ["ab cd"]],
    ["'a'\"b\"c", ["abc"]],
    ['echo "it\'s"', ["echo", "it's"]],
    ["echo 'say \"hi\"'", ["echo", 'say "hi"']],
    ['echo "a\\"b"', ["echo", 'a"b']],
    ['echo "a\\nb"', ["echo", "anb"]],
    ["echo 'a\\nb'", ["echo", "a\\nb"]],
    ["echo a\\ b", ["echo", "a b"]],
    ["echo \\'x", ["echo", "'x"]],
    ["echo $HOME ${USER}", ["echo", "$HOME", "${USER}"]],
    ["echo $(date +%s) x", ["echo", "$(date +%s)", "x"]],
    ["echo `date +%s` x", ["echo", "`date +%s`", "x"]],
    ["echo '$(x' ')'", ["echo", "$(x", ")"]],
    ['sh -c "echo a && echo b"', ["sh", "-c", "echo a && echo b"]],
    ["echo 'a|b' \"c;d\"", ["echo", "a|b", "c;d"]],
    ["echo a\\;b", ["echo", "a;b"]],
    ["python -m http.server 8000", ["python", "-m", "http.server", "8000"]],
    ["--flag=\"x y\"", ["--flag=x y"]],
    ["naïve ünïcode", ["naïve", "ünïcode"]],
    // compose stops at an unquoted operator and drops the rest
    ["echo a && echo b", ["echo", "a"]],
    ["echo a;echo b", ["echo", "a"]],
    ["cat < file", ["cat"]],
    ["echo a | grep a", ["echo", "a"]],
    ["echo a>out", ["echo", "a"]],
    ["echo 2>err", ["echo"]],
  ];
  it.each(cases)("%j → %j", (input, want) => expect(shellSplit(input)).toEqual(want));

  const errors: [string, string][] = [
    ['echo "open', "double quote"],
    ["echo 'open", "single quote"],
    ["echo `open", "backquote"],
    ["echo trailing\\", "backslash"],
    ["echo $(open", "$("],
    ["echo )", "$("],
    ["echo (x)", "`(`"],
    ["echo $(a (b))", "`(`"],
  ];
  it.each(errors)("%j is an error mentioning %s", (input, words) => {
    const r = shellSplit(input);
    expect(r).toHaveProperty("error");
    expect((r as { error: string }).error).toContain(words);
  });

  it("tells what an operator dropped", () => {
    expect(shellSplitDetailed("echo a && echo b")).toEqual({ argv: ["echo", "a"], dropped: { offset: 7, text: "&& echo b" } });
    expect(shellSplitDetailed("echo é|x")).toEqual({ argv: ["echo", "é"], dropped: { offset: 6, text: "|x" } });
    expect(shellSplitDetailed("echo a")).toEqual({ argv: ["echo", "a"] });
  });
});

describe("shellSplit: properties", () => {
  it("splits words joined by spaces back into the same words", () => {
    const word = fc.string({ minLength: 1, unit: fc.constantFrom("a", "b", "-", "=", "/", ".", "1") });
    fc.assert(
      fc.property(fc.array(word), (words) => {
        expect(shellSplit(words.join(" "))).toEqual(words);
      }),
    );
  });

  it("keeps any single-quoted text as one argument", () => {
    fc.assert(
      fc.property(fc.string().filter((s) => !s.includes("'")), (s) => {
        expect(shellSplit(`x '${s}'`)).toEqual(["x", s]);
      }),
    );
  });
});
