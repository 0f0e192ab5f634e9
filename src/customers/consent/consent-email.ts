// The double opt-in email, rendered from the default `welcome-confirm` template files through
// the pure template library (compiled once per locale, rendered per customer). No Nest.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  compileEmail,
  defaultTemplatesDir,
  emailSourceOf,
  loadTemplateFile,
  pickLocale,
  type CompiledEmail,
  type RenderCustomer,
  type RenderedEmail,
} from '../../templates/render';

export const CONFIRMATION_TEMPLATE_KEY = 'welcome-confirm';

const compiled = new Map<string, Promise<CompiledEmail>>();

/** Locales the template exists in, from its files (`welcome-confirm.<locale>.mjml`). */
function availableLocales(dir: string): string[] {
  const folder = join(dir, 'email');
  if (!existsSync(folder)) return [];
  const prefix = `${CONFIRMATION_TEMPLATE_KEY}.`;
  return readdirSync(folder)
    .filter((name) => name.startsWith(prefix) && name.endsWith('.mjml'))
    .map((name) => name.slice(prefix.length, -'.mjml'.length));
}

function compiledFor(dir: string, locale: string): Promise<CompiledEmail> {
  const path = join(dir, 'email', `${CONFIRMATION_TEMPLATE_KEY}.${locale}.mjml`);
  let hit = compiled.get(path);
  if (!hit) {
    const file = loadTemplateFile(path);
    hit = compileEmail(emailSourceOf(file));
    compiled.set(path, hit);
    hit.catch(() => compiled.delete(path)); // a broken file is read again next time
  }
  return hit;
}

export interface ConfirmationEmailInput {
  customer: RenderCustomer;
  confirmUrl: string;
  brandName: string;
  /** Defaults to the repository's templates/ folder. */
  templatesDir?: string;
}

/** Subject, HTML and text of the confirmation email in the customer's language (ru, en, …). */
export async function renderConfirmationEmail(input: ConfirmationEmailInput): Promise<RenderedEmail & { locale: string }> {
  const dir = input.templatesDir ?? defaultTemplatesDir();
  const locale = pickLocale(availableLocales(dir), input.customer.locale);
  if (locale === undefined) throw new Error(`No ${CONFIRMATION_TEMPLATE_KEY} template in ${join(dir, 'email')}`);
  const template = await compiledFor(dir, locale);
  const rendered = template.render({ customer: input.customer, brand: { name: input.brandName }, message: { confirmUrl: input.confirmUrl } });
  return { ...rendered, locale };
}
