// Calls against a test app. The JSON of a response is `any` on purpose: a test states the shape
// it expects in its assertions, and `unknown` would only add casts to every one of them.
import type { TestApp } from './test-app';

/** The JSON body of a response (null for 204). */
export async function jsonOf(response: Response): Promise<any> {
  return response.status === 204 ? null : response.json();
}

/** A fetch with the API key of a role; the status and the JSON body. */
export function apiCaller<Role extends string>(t: TestApp, keys: Record<Role, string>) {
  return async (method: string, path: string, role: Role, body?: unknown): Promise<{ status: number; body: any }> => {
    const response = await fetch(`${t.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${keys[role]}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await jsonOf(response) };
  };
}

export type KeyedApi = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

/** A fetch with one API key: the status and the JSON body (null when the body is empty). */
export function keyedApi(t: TestApp, key: string): KeyedApi {
  return async (method, path, body) => {
    const response = await fetch(`${t.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
}
