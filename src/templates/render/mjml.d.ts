// mjml 5 ships no type declarations; this covers the part used here.
declare module 'mjml' {
  export interface MjmlValidationError {
    line: number;
    message: string;
    tagName: string;
    formattedMessage: string;
  }
  export interface MjmlOptions {
    validationLevel?: 'strict' | 'soft' | 'skip';
    keepComments?: boolean;
    minify?: boolean;
    beautify?: boolean;
    fonts?: Record<string, string>;
    filePath?: string;
    ignoreIncludes?: boolean;
  }
  export interface MjmlResult {
    html: string;
    errors: MjmlValidationError[];
  }
  /** Async since mjml 5. */
  function mjml2html(input: string, options?: MjmlOptions): Promise<MjmlResult>;
  export default mjml2html;
}
