import { describe, expect, it } from "vitest";
import { DetachDetector, parseDetachKeys } from "./detach-keys.js";

describe("parseDetachKeys", () => {
  it("reads docker's spelling: ctrl-<letter>, ctrl-<punctuation>, single characters", () => {
    expect([...parseDetachKeys("ctrl-p,ctrl-q")]).toEqual([16, 17]);
    expect([...parseDetachKeys("ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_")]).toEqual([0, 27, 28, 29, 30, 31]);
    expect([...parseDetachKeys("a,ctrl-a")]).toEqual([97, 1]);
  });

  it("refuses what it does not know", () => {
    expect(() => parseDetachKeys("ctrl-1")).toThrow(/invalid detach keys \(ctrl-1\)/);
    expect(() => parseDetachKeys("alt-x")).toThrow(/unknown character: 'alt-x'/);
  });
});

describe("DetachDetector", () => {
  const keys = Buffer.from([16, 17]);
  const feed = (d: DetachDetector, bytes: number[]) => {
    const r = d.feed(Buffer.from(bytes));
    return { forward: [...r.forward], detach: r.detach };
  };

  it("passes ordinary input through", () => {
    expect(feed(new DetachDetector(keys), [104, 105])).toEqual({ forward: [104, 105], detach: false });
  });

  it("detaches on the whole sequence, even across chunks, without sending it", () => {
    const d = new DetachDetector(keys);
    expect(feed(d, [97, 16])).toEqual({ forward: [97], detach: false });
    expect(feed(d, [17, 98])).toEqual({ forward: [], detach: true });
  });

  it("sends a sequence that broke off as typed", () => {
    const d = new DetachDetector(keys);
    expect(feed(d, [16])).toEqual({ forward: [], detach: false });
    expect(feed(d, [120])).toEqual({ forward: [16, 120], detach: false });
    // A repeated first key restarts the sequence.
    expect(feed(d, [16, 16, 17])).toEqual({ forward: [16], detach: true });
  });
});
