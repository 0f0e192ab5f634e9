// A fetch against the test app with the API key of a role; the JSON body, or null for 204.
import type { TestApp } from '../support/test-app';

export type CallRole = 'viewer' | 'marketer';

export function apiCaller(t: TestApp, keys: Record<CallRole, string>) {
  return async (method: string, path: string, role: CallRole, body?: unknown) => {
    const response = await fetch(`${t.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${keys[role]}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: response.status === 204 ? null : await response.json() };
  };
}
