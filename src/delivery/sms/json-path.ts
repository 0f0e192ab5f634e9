// Dotted paths into a gateway's JSON answer: `data.id`, `messages[0].id` or `messages.0.id`.

const PATH_PATTERN = /^[A-Za-z0-9_$-]+(?:\.[A-Za-z0-9_$-]+|\[\d+\])*$/;

export const DOTTED_PATH_HINT = 'expected a dotted path such as data.id or messages[0].id';

export function isDottedPath(path: string): boolean {
  return PATH_PATTERN.test(path);
}

function segments(path: string): string[] {
  return path.replace(/\[(\d+)\]/g, '.$1').split('.');
}

/** The value at `path`, or undefined when any step is missing or not an object/array. */
export function readPath(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const key of segments(path)) {
    if (current === null || typeof current !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
