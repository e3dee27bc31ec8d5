// The API's calls, typed by the OpenAPI document (schema.d.ts is generated: npm run console:api).
// Every call carries the signed-in person's bearer token; a 401 ends the session.
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

let currentToken: (() => string | undefined) | undefined;
let onUnauthorized: (() => void) | undefined;

/** The session tells the client where the token is and what to do when the API refuses it. */
export function bindSession(token: () => string | undefined, unauthorized: () => void): void {
  currentToken = token;
  onUnauthorized = unauthorized;
}

export function bearer(): Record<string, string> {
  const token = currentToken?.();
  return token ? { authorization: `Bearer ${token}` } : {};
}

const auth: Middleware = {
  onRequest({ request }) {
    const token = currentToken?.();
    if (token) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) onUnauthorized?.();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(auth);

/** An answer that is not a success: its status and the API's message(s). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly messages: string[],
  ) {
    super(messages.join('; ') || `HTTP ${status}`);
  }
}

/** The messages of an error body: Nest's `message` is a string or a list (one per field). */
export function messagesOf(body: unknown): string[] {
  const message = (body as { message?: unknown } | undefined)?.message;
  if (Array.isArray(message)) return message.map(String);
  if (typeof message === 'string') return [message];
  return [];
}

/** The data of an openapi-fetch answer, or an ApiError. */
export function unwrap<T>(answer: { data?: T; error?: unknown; response: Response }): T {
  if (answer.response.ok) return answer.data as T;
  throw new ApiError(answer.response.status, messagesOf(answer.error));
}
