/**
 * What every interaction page handler needs from the HTTP request: the
 * language (?lang=, then the socle_lang cookie, then Accept-Language), the
 * form fields of a urlencoded POST (the app's parser hands it over as a
 * string), and the CSRF check (a token bound to the interaction, plus the
 * Origin header when the browser sends one: OWASP CSRF Prevention Cheat Sheet,
 * "Synchronizer token" and "Verifying origin with standard headers").
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorCatalogue, type ErrorKey } from '../../core/errors.js';
import { pickLanguage, translate, type Language, type MessageParams } from '../../core/i18n/translate.js';
import { alertBox, escapeHtml, pageHeaders, renderPage } from '../pages/layout.js';

export function cookieValue(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

export function languageOf(request: FastifyRequest): Language {
  const asked = (request.query as Record<string, string | undefined>).lang ?? cookieValue(request, 'socle_lang');
  if (asked === 'fr' || asked === 'en') return asked;
  return pickLanguage(request.headers['accept-language']);
}

/** Remembers an explicit language choice for the next pages. */
export function rememberLanguage(request: FastifyRequest, reply: FastifyReply): void {
  const asked = (request.query as Record<string, string | undefined>).lang;
  if (asked === 'fr' || asked === 'en') reply.header('set-cookie', `socle_lang=${asked}; Path=/; SameSite=Lax; HttpOnly; Max-Age=31536000`);
}

/** The URL of the current page in the other language. */
export function otherLanguageUrl(request: FastifyRequest, language: Language): string {
  const url = new URL(request.url, 'http://x');
  url.searchParams.set('lang', language === 'fr' ? 'en' : 'fr');
  return `${url.pathname}${url.search}`;
}

/** The fields of a urlencoded form body; empty for any other body. */
export function formFields(request: FastifyRequest): URLSearchParams {
  return new URLSearchParams(typeof request.body === 'string' ? request.body : '');
}

export function csrfToken(key: Buffer, uid: string): string {
  return createHmac('sha256', key).update(`interaction:${uid}`).digest('base64url');
}

/** Whether the POST carries the interaction's token and, if the browser says where it comes from, comes from Socle. */
export function csrfValid(request: FastifyRequest, key: Buffer, uid: string, origin: string): boolean {
  const sentOrigin = request.headers.origin;
  if (sentOrigin !== undefined && sentOrigin !== origin) return false;
  const given = Buffer.from(formFields(request).get('csrf') ?? '');
  const expected = Buffer.from(csrfToken(key, uid));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Sends a DSFR page with the login pages' security headers. */
export function sendPage(reply: FastifyReply, html: string, status = 200, formTargets: readonly string[] = [], https = false): FastifyReply {
  return reply.code(status).headers(pageHeaders(formTargets, https)).send(html);
}

/** A catalogued error as a page, with the catalogue's status. */
export function sendErrorPage(reply: FastifyReply, key: ErrorKey, language: Language, params: MessageParams = {}): FastifyReply {
  const title = translate('auth.page.error-title', {}, language);
  const body = alertBox('error', escapeHtml(translate(key, params, language)), 'page-error');
  return sendPage(reply, renderPage({ language, title, body }), errorCatalogue[key].status);
}
