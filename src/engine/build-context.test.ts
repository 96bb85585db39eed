import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import tarStream from "tar-stream";
import { afterAll, describe, expect, it } from "vitest";
import { isRemoteContext, packBuildContext, parseIgnoreFile } from "./build-context.js";
import { BuildContextError } from "./errors.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "moor-ctx-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let n = 0;
function makeContext(files: Record<string, string>): string {
  const dir = path.join(root, `ctx${n++}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

/** Every entry of the tar: name → { type, content, uid }. */
async function readTar(tar: NodeJS.ReadableStream): Promise<Map<string, { type: string; content: string; uid: number | undefined; linkname?: string | null }>> {
  const out = new Map<string, { type: string; content: string; uid: number | undefined; linkname?: string | null }>();
  const extract = tarStream.extract();
  const done = (async () => {
    for await (const entry of extract) {
      const parts: Buffer[] = [];
      for await (const chunk of entry) parts.push(chunk as Buffer);
      out.set(entry.header.name, { type: entry.header.type ?? "file", content: Buffer.concat(parts).toString("utf8"), uid: entry.header.uid, linkname: entry.header.linkname });
    }
  })();
  tar.pipe(extract);
  await done;
  return out;
}

describe("packBuildContext", () => {
  it("leaves out what .dockerignore excludes, with exceptions, and always sends Dockerfile and .dockerignore", async () => {
    const dir = makeContext({
      Dockerfile: "FROM x\n",
      ".dockerignore": "# comment\n.env\n/secrets\n**/*.key\n!public.key\nDockerfile\n.dockerignore\nnode_modules\nlogs/*\n!logs/keep.log\n",
      ".env": "SECRET=1",
      "secrets/token": "t",
      "public.key": "p",
      "deep/er/private.key": "k",
      "node_modules/a/index.js": "x",
      "logs/a.log": "a",
      "logs/keep.log": "k",
      "src/app.js": "app",
    });
    const packed = await packBuildContext({ contextDir: dir });
    const tar = await readTar(packed.tar);
    expect(packed.dockerfile).toBe("Dockerfile");
    expect(packed.ignoreFile).toBe(path.join(dir, ".dockerignore"));
    expect([...tar.keys()].sort()).toEqual([".dockerignore", "Dockerfile", "deep", "deep/er", "logs", "logs/keep.log", "public.key", "src", "src/app.js"].sort());
    expect(packed.entries.sort()).toEqual([...tar.keys()].sort());
    // Owners are 0:0 as the docker CLI sends them, whoever owns the files here.
    expect(tar.get("src/app.js")?.uid).toBe(0);
  });

  it("skips an excluded directory whole when no exception could reach inside it", async () => {
    const dir = makeContext({ Dockerfile: "FROM x\n", ".dockerignore": "big\n", "big/a/b/c.txt": "x", "small.txt": "s" });
    const packed = await packBuildContext({ contextDir: dir });
    expect(packed.entries).toEqual([".dockerignore", "Dockerfile", "small.txt"]);
  });

  it("prefers <Dockerfile>.dockerignore over the context's", async () => {
    const dir = makeContext({
      "build/web.Dockerfile": "FROM x\n",
      "build/web.Dockerfile.dockerignore": "a.txt\n",
      ".dockerignore": "b.txt\n",
      "a.txt": "a",
      "b.txt": "b",
    });
    const packed = await packBuildContext({ contextDir: dir, dockerfile: "build/web.Dockerfile" });
    expect(packed.ignoreFile).toBe(path.join(dir, "build/web.Dockerfile.dockerignore"));
    expect(packed.dockerfile).toBe("build/web.Dockerfile");
    expect(packed.entries).toContain("b.txt");
    expect(packed.entries).not.toContain("a.txt");
    await readTar(packed.tar);
  });

  it("sends a Dockerfile inside an excluded directory, and nothing else from there", async () => {
    const dir = makeContext({ "docker/Dockerfile": "FROM x\n", "docker/secret.txt": "s", ".dockerignore": "docker\n" });
    const packed = await packBuildContext({ contextDir: dir, dockerfile: "docker/Dockerfile" });
    expect(packed.entries).toEqual([".dockerignore", "docker/Dockerfile"]);
    await readTar(packed.tar);
  });

  it("injects dockerfile_inline and a Dockerfile from outside the context under a generated name", async () => {
    const dir = makeContext({ "app.txt": "a" });
    const inline = await packBuildContext({ contextDir: dir, dockerfileInline: "FROM inline\n" });
    expect(inline.dockerfile).toMatch(/^\.dockerfile\.[0-9a-f]{20}$/);
    const tar = await readTar(inline.tar);
    expect(tar.get(inline.dockerfile)?.content).toBe("FROM inline\n");
    expect(tar.has("app.txt")).toBe(true);

    const outside = path.join(root, "Outside.Dockerfile");
    fs.writeFileSync(outside, "FROM outside\n");
    const packed = await packBuildContext({ contextDir: dir, dockerfile: outside });
    expect((await readTar(packed.tar)).get(packed.dockerfile)?.content).toBe("FROM outside\n");
  });

  it("sends symlinks as links and never follows them out of the context", async () => {
    const dir = makeContext({ Dockerfile: "FROM x\n" });
    fs.writeFileSync(path.join(root, "secret-outside.txt"), "do not send");
    fs.symlinkSync(path.join(root, "secret-outside.txt"), path.join(dir, "link"));
    fs.mkdirSync(path.join(root, "outside-dir"));
    fs.writeFileSync(path.join(root, "outside-dir", "f"), "do not send either");
    fs.symlinkSync(path.join(root, "outside-dir"), path.join(dir, "dirlink"));
    const tar = await readTar((await packBuildContext({ contextDir: dir })).tar);
    expect(tar.get("link")).toMatchObject({ type: "symlink", content: "", linkname: path.join(root, "secret-outside.txt") });
    expect(tar.get("dirlink")?.type).toBe("symlink");
    expect([...tar.values()].some((e) => e.content.includes("do not send"))).toBe(false);
  });

  it("reports a missing context or Dockerfile as BuildContextError", async () => {
    await expect(packBuildContext({ contextDir: path.join(root, "nope") })).rejects.toThrow(BuildContextError);
    await expect(packBuildContext({ contextDir: makeContext({ "a.txt": "a" }) })).rejects.toThrow(/Dockerfile .* does not exist/);
  });
});

describe("parseIgnoreFile", () => {
  it("drops comments and blanks and anchors leading slashes at the root", () => {
    expect(parseIgnoreFile("# c\n\n  /a/b  \n!/keep\r\n*.log\n!\n")).toEqual(["a/b", "!keep", "*.log"]);
  });
});

describe("isRemoteContext", () => {
  it.each([
    ["https://github.com/acme/app.git#main", true],
    ["git@github.com:acme/app.git", true],
    ["/home/me/app", false],
    ["./app", false],
  ])("%s → %s", (ctx, remote) => {
    expect(isRemoteContext(ctx)).toBe(remote);
  });
});
