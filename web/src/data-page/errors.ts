// A refusal from the server in the page's language: the Chinese text the routes send beside the
// English, or the page's own words for a missing login or permission.
import type { Lang } from '../i18n.ts';
import { RouteError } from './api.ts';
import { d } from './text.ts';

export function describeError(error: unknown, lang: Lang): string {
  if (!(error instanceof RouteError)) return (error as Error).message;
  if (lang === 'en') return error.message;
  if (error.zh) return error.zh;
  if (error.code === 'UNAUTHENTICATED') return d('loginEnded', lang);
  if (error.code === 'FORBIDDEN') return `${d('notAllowed', lang)}（${error.message}）`;
  return error.message;
}
