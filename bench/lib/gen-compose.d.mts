// Types for importing the bench generator from TypeScript (the test suite does); the module
// itself is JavaScript checked through its JSDoc.
export const TMP_DIR: string;
export function rng(seed: number): () => number;
export function generateCompose(o: { services: number; seed?: number; aliases?: boolean }): string;
export function writeComposeProject(o: { services: number; seed?: number; aliases?: boolean; dir?: string }): { dir: string; file: string; bytes: number };
