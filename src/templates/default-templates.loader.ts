// Loads the default templates from templates/ into the database at start-up, in every role.
// Idempotent: a file whose content is already the current version adds nothing; a file that
// changed (a new release) becomes a new version; a variant a user has edited, or a template
// a user created with the same key, is never overwritten. Two processes starting together
// load under one advisory lock, so the second finds everything current.

import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { defaultAction, readDefaultSet, writes, type DefaultAction, type DefaultFileProblem } from './default-set';
import { defaultTemplatesDir, type TemplateFile } from './render';
import { compileVersionSource, contentHashOf, versionSourceOfFile } from './template-source';
import { DEFAULT_SET_LOCK, TemplatesRepository } from './templates.repository';

export const FILE_AUTHOR = 'templates/';

export interface DefaultLoadReport {
  /** "email:order-shipped.ru" per action */
  actions: Partial<Record<DefaultAction, string[]>>;
  problems: DefaultFileProblem[];
}

const label = (file: TemplateFile): string => `${file.channel}:${file.key}.${file.locale}`;

/** A built-in template is named after its Russian variant (the default locale), else its first one. */
function templateNames(files: TemplateFile[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const file of files) {
    const id = `${file.channel}:${file.key}`;
    if (!names.has(id) || file.locale === 'ru') names.set(id, file.name);
  }
  return names;
}

@Injectable()
export class DefaultTemplatesLoader implements OnApplicationBootstrap {
  private readonly logger = new Logger('Templates');

  constructor(private readonly templates: TemplatesRepository) {}

  async onApplicationBootstrap(): Promise<void> {
    const started = performance.now();
    const report = await this.load();
    const count = (action: DefaultAction) => report.actions[action]?.length ?? 0;
    this.logger.log(
      `default templates: ${count('create') + count('add-locale')} added, ${count('update')} updated, ${count('current')} current, ` +
        `${count('kept-edit')} kept as edited${report.problems.length ? `, ${report.problems.length} invalid` : ''} ` +
        `(${Math.round(performance.now() - started)} ms)`,
    );
    for (const problem of report.problems) {
      const first = problem.errors[0];
      this.logger.error(`default template ${problem.path} not loaded: line ${first?.line}, column ${first?.column}: ${first?.message}`);
    }
  }

  /** Loads every file under `dir` (default: the repository's templates/). */
  async load(dir: string = defaultTemplatesDir()): Promise<DefaultLoadReport> {
    const { files, problems } = readDefaultSet(dir);
    const report: DefaultLoadReport = { actions: {}, problems };
    const names = templateNames(files);
    await this.templates.locked(DEFAULT_SET_LOCK, async (repository) => {
      const templates = new Map((await repository.allTemplates()).map((t) => [`${t.channel}:${t.key}`, t]));
      for (const file of files) {
        const source = versionSourceOfFile(file);
        let template = templates.get(`${file.channel}:${file.key}`);
        // the template's own lock: an API save of it waits, so the decision below stays true
        if (template) await repository.lock(template.id);
        const current = template ? await repository.currentVersion(template.id, file.locale) : null;
        const action = defaultAction(template, current ?? undefined, contentHashOf(source));
        if (writes(action)) {
          const check = await compileVersionSource(source, file.locations);
          if (!check.ok) {
            problems.push({ path: file.path ?? label(file), errors: check.errors });
            continue;
          }
          if (!template) {
            const name = names.get(`${file.channel}:${file.key}`) ?? file.name;
            template = await repository.createTemplate({
              key: file.key,
              name,
              channel: file.channel,
              description: file.meta.description || null,
              builtIn: true,
            });
            templates.set(`${file.channel}:${file.key}`, template);
          }
          await repository.insertVersion({
            templateId: template.id,
            source,
            compiled: check.compiled,
            fromFile: true,
            createdBy: FILE_AUTHOR,
          });
        }
        (report.actions[action] ??= []).push(label(file));
      }
    });
    return report;
  }

  /** The default file of one variant, for "reset to default". */
  fileFor(channel: 'email' | 'sms', key: string, locale: string, dir: string = defaultTemplatesDir()): TemplateFile | undefined {
    return readDefaultSet(dir).files.find((f) => f.channel === channel && f.key === key && f.locale === locale);
  }
}
