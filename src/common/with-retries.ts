// Retrying an idempotent database write through a dropped connection.
/**
 * Runs an idempotent statement again when the database connection fails (a restart, a killed
 * backend): up to 6 tries over about 6 s, well inside a send lease.
 */
export async function withRetries<T>(run: () => Promise<T>, what: string, tries = 6): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= tries) throw new Error(`${what} failed ${tries} times: ${(error as Error).message}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  }
}
