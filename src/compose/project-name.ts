// Project names: compose derives one from a directory name or a `name:` by normalizing it, and
// refuses an explicit one (`-p`, COMPOSE_PROJECT_NAME) that is not already normal.

/**
 * Turns any text into a valid project name the way compose does for a directory name or a
 * `name:` key: lowercase, only `a-z 0-9 _ -` kept, leading `_` and `-` dropped. May return "".
 */
export function normalizeProjectName(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, "")
    .replace(/^[_-]+/, "");
}

/** compose's wording, so scripts that match on it keep working. */
const RULE = "must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number";

/** The error for an explicit project name (`-p`, COMPOSE_PROJECT_NAME), or undefined when it is valid. */
export function checkProjectName(name: string): string | undefined {
  if (name === "") return "project name must not be empty";
  if (normalizeProjectName(name) !== name) return `invalid project name ${JSON.stringify(name)}: ${RULE}`;
  return undefined;
}

/** A hint for an invalid name: its normalized form, when that is not empty. */
export function suggestProjectName(name: string): string | undefined {
  const fixed = normalizeProjectName(name);
  return fixed === "" || fixed === name ? undefined : `did you mean ${JSON.stringify(fixed)}?`;
}
