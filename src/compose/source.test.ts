import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "./diagnostics.js";
import { parseComposeYaml } from "./source.js";

describe("parseComposeYaml", () => {
  it("records key and value positions", () => {
    const bag = new DiagnosticBag();
    const [doc] = parseComposeYaml("/p/compose.yaml", "services:\n  web:\n    image: nginx\n    portss: [80]\n", bag);
    expect(bag.items).toEqual([]);
    expect(doc!.data).toEqual({ services: { web: { image: "nginx", portss: [80] } } });
    expect(doc!.positions.get(["services", "web", "portss"])).toEqual({
      key: { file: "/p/compose.yaml", line: 4, col: 5 },
      value: { file: "/p/compose.yaml", line: 4, col: 13 },
    });
    expect(doc!.positions.get(["services", "web", "portss", 0])?.value).toEqual({ file: "/p/compose.yaml", line: 4, col: 14 });
  });

  it("applies merge keys, explicit keys winning", () => {
    const bag = new DiagnosticBag();
    const text = "x-base: &base\n  image: a\n  restart: always\nservices:\n  web:\n    <<: *base\n    image: b\n";
    const [doc] = parseComposeYaml("f", text, bag);
    expect(bag.items).toEqual([]);
    expect((doc!.data as { services: unknown }).services).toEqual({ web: { image: "b", restart: "always" } });
  });

  it("reports duplicate keys with their position", () => {
    const bag = new DiagnosticBag();
    parseComposeYaml("f", "services:\n  web:\n    image: a\n    image: b\n", bag);
    expect(bag.items[0]).toMatchObject({ code: "yaml.duplicate-key", location: { line: 4 } });
  });

  it("drops !reset values and records !reset and !override paths", () => {
    const bag = new DiagnosticBag();
    const [doc] = parseComposeYaml("f", "services:\n  web:\n    ports: !reset []\n    environment: !override\n      A: b\n", bag);
    expect(doc!.data).toEqual({ services: { web: { environment: { A: "b" } } } });
    expect(doc!.resets).toEqual([["services", "web", "ports"]]);
    expect(doc!.overrides).toEqual([["services", "web", "environment"]]);
  });

  it("refuses alias bombs quickly", () => {
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 12; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill("*" + String.fromCharCode(96 + i)).join(", ")}]`);
    const bag = new DiagnosticBag();
    const start = Date.now();
    parseComposeYaml("f", lines.join("\n"), bag);
    expect(Date.now() - start).toBeLessThan(5000);
    expect(bag.hasErrors).toBe(true);
  });

  it("reports each alias that names no anchor, and drops the document", () => {
    const bag = new DiagnosticBag();
    // m0 is never defined; through m1..m3 it is used 5^3 times, and reported once.
    const lines = ["x-m0:", "  k: x"];
    for (let i = 1; i <= 3; i++) lines.push(`x-m${i}: &m${i} [${Array(5).fill(`*m${i - 1}`).join(", ")}]`);
    lines.push("services:", "  web:", "    image: x", "    labels: *m3", "    environment: [*other]");
    const docs = parseComposeYaml("/p/compose.yaml", lines.join("\n") + "\n", bag);
    expect(docs).toEqual([]);
    expect(bag.errors.map((d) => [d.code, d.message, d.location?.line, d.location?.col])).toEqual([
      ["yaml.unknown-anchor", "unknown anchor 'm0' referenced", 3, 12],
      ["yaml.unknown-anchor", "unknown anchor 'other' referenced", 10, 19],
    ]);
  });

  it("returns every document of a multi-document file", () => {
    const bag = new DiagnosticBag();
    const docs = parseComposeYaml("f", "services:\n  a:\n    image: x\n---\nservices:\n  b:\n    image: y\n", bag);
    expect(docs.map((d) => d.data)).toEqual([{ services: { a: { image: "x" } } }, { services: { b: { image: "y" } } }]);
    expect(docs[1]!.positions.get(["services", "b"])?.key?.line).toBe(6);
  });
});

describe("parseComposeYaml and hostile keys", () => {
  it("keeps a __proto__ key as data and leaves the prototype alone", () => {
    const bag = new DiagnosticBag();
    const [doc] = parseComposeYaml("f", "services:\n  __proto__:\n    image: x\n", bag);
    const services = (doc!.data as { services: Record<string, unknown> }).services;
    expect(Object.keys(services)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(services)).toBe(Object.prototype);
  });
});

describe("parseComposeYaml numbers", () => {
  it.each([
    ["mode: 0444", 292],
    ["mode: 0o440", 288],
    ["mode: 444", 444],
    ["mode: 0x1F", 31],
    ["mode: '0444'", "0444"],
    ["mode: 0", 0],
  ])("%s", (text, expected) => {
    const bag = new DiagnosticBag();
    const [doc] = parseComposeYaml("f", text, bag);
    expect((doc!.data as { mode: unknown }).mode).toBe(expected);
  });
});

describe("parseComposeYaml never throws on odd keys", () => {
  it("reports a complex key holding a bad merge instead of throwing", () => {
    const bag = new DiagnosticBag();
    expect(() => parseComposeYaml("f", "a: &a [1]\n? { <<: *a }\n: x\n", bag)).not.toThrow();
  });
});
