// The default templates shipped in templates/ and the rule that decides, per locale
// variant, whether a file goes into the database at start-up. Pure: no Nest, no database.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readTemplateFile, type TemplateFile, type TemplateIssue } from './render';

export interface DefaultFileProblem {
  path: string;
  errors: TemplateIssue[];
}

const FOLDERS = [
  ['email', '.mjml'],
  ['sms', '.txt'],
] as const;

/**
 * Every default template file under `dir` (`email/*.mjml`, `sms/*.txt`). A file with bad
 * front matter is reported, not fatal: the others still load.
 */
export function readDefaultSet(dir: string): { files: TemplateFile[]; problems: DefaultFileProblem[] } {
  const files: TemplateFile[] = [];
  const problems: DefaultFileProblem[] = [];
  for (const [sub, ext] of FOLDERS) {
    const folder = join(dir, sub);
    if (!existsSync(folder)) continue;
    for (const name of readdirSync(folder).sort()) {
      if (!name.endsWith(ext)) continue;
      const path = join(folder, name);
      const parsed = readTemplateFile(path);
      if (parsed.file) files.push(parsed.file);
      else problems.push({ path, errors: parsed.errors });
    }
  }
  return { files, problems };
}

/**
 * - `create`: no template with this channel and key yet
 * - `add-locale`: a built-in template without this locale
 * - `current`: the newest version already has the file's content
 * - `update`: the newest version came from an older file, so the new file replaces it
 * - `kept-edit`: the newest version was saved by a user; the file does not overwrite it
 * - `user-template`: a template the user created has this key; the file leaves it alone
 */
export type DefaultAction = 'create' | 'add-locale' | 'current' | 'update' | 'kept-edit' | 'user-template';

export function defaultAction(
  template: { builtIn: boolean } | undefined,
  current: { contentHash: string; fromFile: boolean } | undefined,
  fileHash: string,
): DefaultAction {
  if (!template) return 'create';
  if (!template.builtIn) return 'user-template';
  if (!current) return 'add-locale';
  if (current.contentHash === fileHash) return 'current';
  return current.fromFile ? 'update' : 'kept-edit';
}

/** Actions that write a version. */
export function writes(action: DefaultAction): boolean {
  return action === 'create' || action === 'add-locale' || action === 'update';
}
