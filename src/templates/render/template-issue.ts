// Errors and warnings about a template, located in the original source.

export type TemplatePart = 'front-matter' | 'subject' | 'preheader' | 'body' | 'text';

export interface TemplateIssue {
  /** 1-based line in the original source (the whole file when it has front matter) */
  line: number;
  /** 1-based column */
  column: number;
  message: string;
  part?: TemplatePart;
}

export interface UnknownVariableWarning extends TemplateIssue {
  variable: string;
  /** the variables a template may use */
  known: string[];
}

export type TemplateWarning = TemplateIssue | UnknownVariableWarning;

/** Thrown when a template cannot be compiled; carries every error found. */
export class TemplateCompileError extends Error {
  readonly code = 'TEMPLATE_INVALID';

  constructor(
    readonly errors: TemplateIssue[],
    readonly warnings: TemplateWarning[] = [],
  ) {
    super(
      errors.length === 1
        ? `Template error at line ${errors[0].line}, column ${errors[0].column}: ${errors[0].message}`
        : `Template has ${errors.length} errors; first at line ${errors[0]?.line}, column ${errors[0]?.column}: ${errors[0]?.message}`,
    );
    this.name = 'TemplateCompileError';
  }
}
