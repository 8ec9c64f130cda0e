/** Why a line of an extract was rejected: a catalogue message, rendered in French and English by whoever reports it. */
import type { MessageKey } from '../core/i18n/messages.js';
import type { MessageParams } from '../core/i18n/translate.js';

export interface LineProblem {
  readonly key: MessageKey;
  readonly params: MessageParams;
}

export type Parsed<T> = { readonly ok: true; readonly record: T } | { readonly ok: false; readonly problem: LineProblem };

export const problem = (key: MessageKey, params: MessageParams = {}): { ok: false; problem: LineProblem } => ({ ok: false, problem: { key, params } });
