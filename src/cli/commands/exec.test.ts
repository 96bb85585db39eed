import { describe, expect, it } from "vitest";
import { execEnv } from "./exec.js";

describe("execEnv", () => {
  it("sends KEY=VALUE as given, a bare KEY with the environment's value, or bare when unset (the engine then drops it)", () => {
    const env: Record<string, string> = { HOME: "/root" };
    expect(execEnv(["A=1", "HOME", "UNSET", "B=x=y"], (k) => env[k])).toEqual(["A=1", "HOME=/root", "UNSET", "B=x=y"]);
  });
});
