import { describe, expect, it } from "vitest";
import { OwnActivity } from "./own-activity.js";

describe("OwnActivity", () => {
  it("counts what happens during a job, and a little around it, as watch's own", () => {
    const a = new OwnActivity(16, 50);
    const end = a.begin(1000);
    expect(a.caused(5000)).toBe(true); // a job runs: everything now is ours
    end(2000);
    expect(a.caused(1500)).toBe(true);
    expect(a.caused(960)).toBe(true);
    expect(a.caused(2040)).toBe(true);
    expect(a.caused(900)).toBe(false);
    expect(a.caused(2100)).toBe(false);
  });

  it("forgets the oldest windows", () => {
    const a = new OwnActivity(2, 0);
    a.begin(0)(10);
    a.begin(100)(110);
    a.begin(200)(210);
    expect(a.caused(5)).toBe(false);
    expect(a.caused(105)).toBe(true);
    expect(a.caused(205)).toBe(true);
  });
});
